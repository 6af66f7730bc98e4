/**
 * The next-POI protocol of docs/method.md section 1: {@link
 * org.refinepoi.core.protocol.NextPoiProtocol#prepare} filters a loaded log, cuts it into
 * trajectories, splits it chronologically and builds {@link org.refinepoi.core.protocol.Sample}s,
 * as configured by {@link org.refinepoi.core.protocol.ProtocolConfig}; {@link
 * org.refinepoi.core.protocol.DatasetStats} reports the counts of each step.
 */
package org.refinepoi.core.protocol;
