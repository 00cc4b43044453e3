/**
 * A node's earnings rebuilt from chain events alone: {@link dev.verity.economics.earnings.EarningsReport} (pure:
 * events in, figures per day out) and {@link dev.verity.economics.earnings.EventHistory} (every event of a node
 * from a node's API, paged by position). See {@code docs/ECONOMICS.md}, "Revenue you can audit".
 */
package dev.verity.economics.earnings;
