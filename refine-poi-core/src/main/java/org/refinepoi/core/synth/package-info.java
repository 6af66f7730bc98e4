/** The synthetic city: a deterministic, structured check-in data set generated from a seed. */
package org.refinepoi.core.synth;
