/**
 * POI feature vectors (docs/method.md section 2): weighted blocks for category, location, visit
 * time, popularity and co-visit structure, fitted on training check-ins only; the SOM's default
 * input.
 */
package org.refinepoi.core.features;
