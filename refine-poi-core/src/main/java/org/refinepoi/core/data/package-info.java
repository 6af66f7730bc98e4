/**
 * The check-in data model ({@link org.refinepoi.core.data.Poi}, {@link
 * org.refinepoi.core.data.CheckIn}, {@link org.refinepoi.core.data.Trajectory}, {@link
 * org.refinepoi.core.data.CheckInDataset}) and the streaming loaders of the layouts next-POI work
 * uses: the raw Foursquare TSMC2014 log ({@link org.refinepoi.core.data.Tsmc2014Loader}), the
 * preprocessed GETNext/LLM4POI CSV ({@link org.refinepoi.core.data.PreprocessedCsvLoader}) and the
 * SNAP Gowalla check-ins ({@link org.refinepoi.core.data.GowallaLoader}). A malformed line fails a
 * strict load with its file and line number, or is skipped and reported by a lenient one ({@link
 * org.refinepoi.core.data.LoadOptions}, {@link org.refinepoi.core.data.LoadReport}).
 */
package org.refinepoi.core.data;
