/**
 * Text generation on the integer engine: a decoder's one-token step program run position by position with its
 * key/value cache carried from one run to the next, and tokens drawn by integer sampling from a job's seed. Pure:
 * the same step program, prompt and parameters give the same tokens, finish reason and state hashes everywhere.
 */
package dev.verity.inference.generate;
