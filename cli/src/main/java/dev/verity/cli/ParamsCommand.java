package dev.verity.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verity.sdk.VerityClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code verity params}: every chain parameter and the penalty rules, from {@code GET /v1/params}. */
@Command(name = "params", mixinStandardHelpOptions = true,
        description = "Show the chain parameters and the payment and penalty rules.")
final class ParamsCommand extends BaseCommand {
    /** Parameters that are amounts in base units: shown in VRT too. */
    private static final Set<String> AMOUNTS = Set.of("minStake", "treasuryBalance", "minJobFee");

    @Mixin
    ApiOptions api;

    @Override
    protected int execute() {
        try (VerityClient client = api.client()) {
            JsonNode p = client.params();
            if (out().json()) {
                out().printJson(p);
                return 0;
            }
            Map<String, Object> f = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : p.properties()) {
                if (e.getKey().equals("rules")) {
                    continue;
                }
                JsonNode v = e.getValue();
                String text = v.isTextual() ? v.asText() : v.toString();
                if (AMOUNTS.contains(e.getKey()) && v.canConvertToLong()) {
                    text = v.asLong() + " base units (" + Output.tokens(v.asLong()) + ")";
                } else if (e.getKey().endsWith("Bps") && v.canConvertToLong()) {
                    text = v.asLong() + " (" + java.math.BigDecimal.valueOf(v.asLong(), 2).stripTrailingZeros().toPlainString() + "%)";
                }
                f.put(e.getKey(), text);
            }
            out().line("Chain parameters");
            out().fields(f);
            JsonNode rules = p.get("rules");
            if (rules != null && rules.isArray() && !rules.isEmpty()) {
                out().line();
                out().line("Rules (payment and penalties)");
                for (JsonNode r : rules) {
                    out().line("  - " + r.asText());
                }
            }
        }
        return 0;
    }
}
