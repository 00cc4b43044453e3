/**
 * Operator economics: revenue accounting rebuilt from chain events, the operator calculator
 * (a GPU's revenue, power, depreciation and payback against renting it out), and the network
 * simulator that drives the real ledger over simulated time.
 */
package dev.verity.economics;
