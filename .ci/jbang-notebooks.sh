#!/usr/bin/env bash
# Runs every JBang notebook in refine-poi-examples/jbang/ against the SDK in the local Maven
# repository and fails when any notebook fails (or runs past NOTEBOOK_TIMEOUT_S seconds).
#
# Steps:
#   1. `mvn install -DskipTests` of the SDK, so that the notebooks' //DEPS lines
#      (org.refinepoi:*:0.1.0-SNAPSHOT) resolve. Set JBANG_NOTEBOOKS_SKIP_INSTALL=1 when the SDK
#      is already installed.
#   2. JBang itself (dev.jbang:jbang-cli from Maven Central) and its runtime dependencies are
#      copied into target/jbang/lib by `mvn dependency:copy-dependencies` on a generated pom.
#   3. Each notebook runs through `java -cp 'target/jbang/lib/*' dev.jbang.Main --offline`:
#      JBang resolves //DEPS from the local repository only (no network), builds with the JDK of
#      JAVA_HOME (which satisfies //JAVA 25, so JBang never downloads a JDK), and keeps its cache
#      in target/jbang/home (JBANG_DIR). Launched from its jar, JBang prints the java command line
#      of the notebook and exits with 255, as its shell wrapper expects; this script runs that line.
#
# Environment:
#   JAVA_HOME          a JDK 25 or newer (required; .ci/run sets it)
#   MAVEN_REPO_LOCAL   a local Maven repository other than ~/.m2/repository, for mvn and JBang
#   JBANG_VERSION      the jbang-cli version (default below)
#   NOTEBOOK_TIMEOUT_S the most seconds one notebook may take (default 300)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd)

jbang_version=${JBANG_VERSION:-0.132.1}
timeout_s=${NOTEBOOK_TIMEOUT_S:-300}

if ! "${JAVA_HOME:-/nonexistent}/bin/java" -version 2>&1 | grep -qE 'version "(2[5-9]|[3-9][0-9])'; then
  echo "jbang-notebooks: JAVA_HOME must point at a JDK 25 or newer (got '${JAVA_HOME:-}')" >&2
  exit 2
fi
export PATH="$JAVA_HOME/bin:$PATH"

mvn_args=(-B -q)
if [[ -n "${MAVEN_REPO_LOCAL:-}" ]]; then
  mvn_args+=("-Dmaven.repo.local=$MAVEN_REPO_LOCAL")
  export JBANG_REPO="$MAVEN_REPO_LOCAL"
fi

if [[ "${JBANG_NOTEBOOKS_SKIP_INSTALL:-0}" != 1 ]]; then
  echo "== mvn install -DskipTests (the notebooks resolve the SDK from the local repository)"
  mvn "${mvn_args[@]}" install -DskipTests
fi

work="$root/target/jbang"
mkdir -p "$work"
if [[ ! -f "$work/lib/jbang-cli-$jbang_version.jar" ]]; then
  echo "== fetching dev.jbang:jbang-cli:$jbang_version"
  rm -rf "$work/lib"
  cat > "$work/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.refinepoi.ci</groupId>
  <artifactId>jbang-fetch</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>dev.jbang</groupId>
      <artifactId>jbang-cli</artifactId>
      <version>$jbang_version</version>
    </dependency>
  </dependencies>
</project>
POM
  mvn "${mvn_args[@]}" -f "$work/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$work/lib"
fi

export JBANG_DIR="$work/home"
export JBANG_DEFAULT_JAVA_VERSION=25
export JBANG_NO_VERSION_CHECK=true
# Compile every notebook afresh: a cached build would hide an SDK change that breaks its source.
rm -rf "$JBANG_DIR/cache/jars"

failed=()
passed=0
for notebook in "$root"/refine-poi-examples/jbang/*.java; do
  name=$(basename "$notebook")
  echo "== $name"
  start=$(date +%s)
  set +e
  command_line=$(cd "$work" && timeout "$timeout_s" java -cp "$work/lib/*" dev.jbang.Main --offline "$notebook")
  rc=$?
  if [[ $rc -eq 255 ]]; then
    (cd "$work" && eval "timeout $timeout_s $command_line")
    rc=$?
  fi
  set -e
  end=$(date +%s)
  if [[ $rc -eq 0 ]]; then
    passed=$((passed + 1))
    echo "== $name: ok in $((end - start)) s"
  else
    failed+=("$name")
    echo "== $name: FAILED (exit $rc) after $((end - start)) s" >&2
  fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
  echo "JBang notebooks: ${#failed[@]} of $((passed + ${#failed[@]})) failed: ${failed[*]}" >&2
  exit 1
fi
echo "JBang notebooks: all $passed ran to completion"
