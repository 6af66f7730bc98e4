/**
 * A trained next-POI recommender users can ship: {@link
 * org.refinepoi.pipeline.recommender.NextPoiRecommender} trains from a check-in dataset with one
 * builder call, saves as one versioned, checksummed bundle, loads without retraining and recommends
 * ranked POIs with their evidence ({@link org.refinepoi.pipeline.recommender.Recommendation}).
 */
package org.refinepoi.pipeline.recommender;
