package dev.verity.economics.sim;

import dev.verity.protocol.VerificationMode;
import java.util.List;

/**
 * What happens to the simulated network: a plain run or one disturbance at a given time. Each scenario carries
 * its own parameters; {@link #parse} builds one from a name and the options given (null: the default).
 */
public sealed interface Scenario {
    List<String> NAMES = List.of("baseline", "tee-compromise", "price-drop", "demand-spike", "operator-exit");
    /** Verity's ladder for TEE jobs: when the TEE vendor is revoked, a TEE job moves to OPTIMISTIC, then SAMPLED. */
    List<VerificationMode> LADDER = List.of(VerificationMode.OPTIMISTIC, VerificationMode.SAMPLED);
    double DEFAULT_EVENT_DAY = 10;

    /** One simulated run: a label and what TEE jobs fall back to. */
    record Run(String id, String label, List<VerificationMode> teeFallbacks) {
        public Run {
            teeFallbacks = List.copyOf(teeFallbacks);
        }
    }

    String name();

    /** One line: what the scenario does, with its parameters. */
    String describe();

    /** The runs to simulate on the same seed: one, except for tee-compromise. */
    default List<Run> runs() {
        return List.of(new Run(name(), name(), LADDER));
    }

    /** The token price in USD at {@code day} (days since genesis), for an operator-set starting price. */
    default double tokenPrice(double day, double startUsd) {
        return startUsd;
    }

    /** How many times the usual client arrivals arrive at {@code day}. */
    default double demandMultiplier(double day) {
        return 1;
    }

    /** The day the council revokes the TEE vendor, or a negative number when it does not. */
    default double revocationDay() {
        return -1;
    }

    /** Consecutive days below the rental alternative after which an operator leaves, or 0 when operators stay. */
    default int exitAfterDays() {
        return 0;
    }

    /** The time of the scenario's event in days, or a negative number when there is none. */
    default double eventDay() {
        return -1;
    }

    /** Nothing happens: the default fleet serves the default demand. */
    record Baseline() implements Scenario {
        @Override
        public String name() {
            return "baseline";
        }

        @Override
        public String describe() {
            return "baseline: no disturbance";
        }
    }

    /**
     * At {@code revokeDay} the council revokes the TEE vendor (SEV-SNP) with a real governance transaction: every
     * enclave is unregistered. Run twice on the same seed: clients whose TEE jobs fall back to ZK, and clients on
     * Verity's ladder (OPTIMISTIC, then SAMPLED).
     */
    record TeeCompromise(double revokeDay) implements Scenario {
        @Override
        public String name() {
            return "tee-compromise";
        }

        @Override
        public String describe() {
            return "tee-compromise: the TEE vendor is revoked at day " + Numbers.plain(revokeDay)
                    + "; run 1: TEE jobs fall back to ZK, run 2: TEE jobs fall back to OPTIMISTIC, SAMPLED";
        }

        @Override
        public List<Run> runs() {
            return List.of(new Run("zk-fallback", "ZK fallback", List.of(VerificationMode.ZK)),
                    new Run("verity-ladder", "Verity ladder", LADDER));
        }

        @Override
        public double revocationDay() {
            return revokeDay;
        }

        @Override
        public double eventDay() {
            return revokeDay;
        }
    }

    /** At {@code day} the token price falls from the operator's price to {@code toUsd}. */
    record PriceDrop(double day, double toUsd) implements Scenario {
        public static final double DEFAULT_TO_USD = 0.30;

        @Override
        public String name() {
            return "price-drop";
        }

        @Override
        public String describe() {
            return "price-drop: the token price falls to " + Numbers.plain(toUsd) + " USD at day " + Numbers.plain(day);
        }

        @Override
        public double tokenPrice(double at, double startUsd) {
            return at >= day ? toUsd : startUsd;
        }

        @Override
        public double eventDay() {
            return day;
        }
    }

    /** From {@code day}, for {@code hours}, clients arrive {@code multiplier} times as often. */
    record DemandSpike(double day, double multiplier, double hours) implements Scenario {
        public static final double DEFAULT_MULTIPLIER = 5;
        public static final double DEFAULT_HOURS = 24;

        @Override
        public String name() {
            return "demand-spike";
        }

        @Override
        public String describe() {
            return "demand-spike: " + Numbers.plain(multiplier) + "x the arrivals for " + Numbers.plain(hours)
                    + " hours from day " + Numbers.plain(day);
        }

        @Override
        public double demandMultiplier(double at) {
            return at >= day && at < day + hours / 24 ? multiplier : 1;
        }

        @Override
        public double eventDay() {
            return day;
        }
    }

    /**
     * An operator leaves (unbonds its whole stake and takes no more work) once its net income has stayed below its
     * rental alternative for {@code exitAfterDays} days in a row; the others pick up the work.
     */
    record OperatorExit(int exitAfterDays) implements Scenario {
        public static final int DEFAULT_EXIT_AFTER_DAYS = 3;

        @Override
        public String name() {
            return "operator-exit";
        }

        @Override
        public String describe() {
            return "operator-exit: an operator leaves after " + exitAfterDays
                    + " days in a row below its rental alternative";
        }
    }

    /** Scenario options from the command line; null means the default. */
    record Options(Double eventDay, Double spikeMultiplier, Double spikeHours, Double priceToUsd, Integer exitAfterDays) {
        public static final Options DEFAULTS = new Options(null, null, null, null, null);
    }

    /** The scenario called {@code name}, or an error that lists the known names. */
    static Scenario parse(String name, Options o) {
        double day = o.eventDay() == null ? DEFAULT_EVENT_DAY : o.eventDay();
        if (!(day >= 0) || Double.isInfinite(day)) {
            throw new IllegalArgumentException("the event day must be 0 or more, got " + o.eventDay());
        }
        return switch (name == null ? "" : name) {
            case "baseline" -> new Baseline();
            case "tee-compromise" -> new TeeCompromise(day);
            case "price-drop" -> {
                double to = o.priceToUsd() == null ? PriceDrop.DEFAULT_TO_USD : o.priceToUsd();
                if (!(to >= 0) || Double.isInfinite(to)) {
                    throw new IllegalArgumentException("the token price after the drop must be 0 or more USD, got " + to);
                }
                yield new PriceDrop(day, to);
            }
            case "demand-spike" -> {
                double m = o.spikeMultiplier() == null ? DemandSpike.DEFAULT_MULTIPLIER : o.spikeMultiplier();
                double h = o.spikeHours() == null ? DemandSpike.DEFAULT_HOURS : o.spikeHours();
                if (!(m > 0) || m > 100) {
                    throw new IllegalArgumentException("the spike multiplier must be above 0 and at most 100, got " + m);
                }
                if (!(h > 0) || Double.isInfinite(h)) {
                    throw new IllegalArgumentException("the spike must last more than 0 hours, got " + h);
                }
                yield new DemandSpike(day, m, h);
            }
            case "operator-exit" -> {
                int k = o.exitAfterDays() == null ? OperatorExit.DEFAULT_EXIT_AFTER_DAYS : o.exitAfterDays();
                if (k < 1) {
                    throw new IllegalArgumentException("operators leave after at least 1 day below the rental alternative, got " + k);
                }
                yield new OperatorExit(k);
            }
            default -> throw new IllegalArgumentException("unknown scenario '" + name + "'; known scenarios: "
                    + String.join(", ", NAMES));
        };
    }
}
