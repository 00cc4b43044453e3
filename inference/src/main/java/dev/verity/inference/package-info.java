/**
 * The bit-exact integer inference engine. Pure: no IO, clock, threads, randomness, floating point
 * or hash-order iteration (checked by the build), so every machine computes the same bits.
 */
package dev.verity.inference;
