/**
 * The Spark benchmark ({@code refine-poi-examples/bench/spark-som.sh} runs it): batch-map epochs of
 * a hierarchical SOM in Spark local mode against the single-JVM Java backend on the same generated
 * data. A tool, not part of the API.
 */
package org.refinepoi.spark.bench;
