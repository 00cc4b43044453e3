/**
 * Running integer programs outside the pure engine: {@link dev.verity.modelhub.run.ParallelRunner} spreads
 * the independent slices of each op over threads with the single-threaded run's exact bytes and hashes.
 */
package dev.verity.modelhub.run;
