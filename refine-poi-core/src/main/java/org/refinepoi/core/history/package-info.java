/**
 * The evidence in a user's history: per-POI visit counts, recency, time-of-day match, the user's
 * own and everyone's transitions from the last POI, and distance, computed from what a sample may
 * see. The repeat-aware baseline and the built-in policy read the same summary, so that the two
 * compete on equal information.
 */
package org.refinepoi.core.history;
