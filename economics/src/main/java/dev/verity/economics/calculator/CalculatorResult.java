package dev.verity.economics.calculator;

/**
 * The calculator's answer: Verity work and renting out side by side, and which pays more.
 *
 * @param inputs             the figures used, each with its source
 * @param verity             serving Verity jobs
 * @param rental             renting the GPUs out on a marketplace
 * @param paysMore           the one with the higher net per day
 * @param differencePerDay   how much more it nets per day (USD, not negative)
 * @param differencePerMonth the same over 30 days
 */
public record CalculatorResult(
        CalculatorInputs inputs,
        Figures verity,
        Figures rental,
        Choice paysMore,
        double differencePerDay,
        double differencePerMonth) {

    /** Which pays more. */
    public enum Choice {
        VERITY("verity"), RENTAL("rental"), EQUAL("equal");

        private final String json;

        Choice(String json) {
            this.json = json;
        }

        /** "verity", "rental" or "equal". */
        public String json() {
            return json;
        }
    }
}
