package dev.verity.ledger.rules;

import static dev.verity.ledger.rules.Rejections.require;

import dev.verity.core.PublicKey;
import dev.verity.ledger.BlockContext;
import dev.verity.ledger.RejectCode;
import dev.verity.ledger.event.EventType;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.ledger.state.LedgerState;
import dev.verity.ledger.state.ModelRecord;
import dev.verity.protocol.tx.Payload;

/** Registration of models by content hash. */
public final class ModelRules {
    static final int MAX_NAME = 128;

    private ModelRules() {}

    public static void register(LedgerState state, PublicKey sender, Payload.RegisterModel m, BlockContext ctx) {
        require(!state.models.contains(m.modelHash()), RejectCode.MODEL_EXISTS,
                "model " + m.modelHash().hex() + " is already registered");
        require(!m.name().isBlank() && m.name().length() <= MAX_NAME, RejectCode.MALFORMED,
                "a model name is 1 to " + MAX_NAME + " characters");
        require(m.computeUnits() >= 1, RejectCode.INVALID_AMOUNT, "compute units must be at least 1");
        String schemaProblem = m.inputSchema().declarationProblem(state.params().maxInputBytes());
        require(schemaProblem == null, RejectCode.MALFORMED, "invalid input schema: " + schemaProblem);
        state.models.put(m.modelHash(), new ModelRecord(m.modelHash(), sender, m.name(), m.inputDescription(),
                m.outputDescription(), m.computeUnits(), m.inputSchema(), ctx.height()));
        state.emit(LedgerEvent.of(EventType.MODEL_REGISTERED, null, null, sender, 0,
                "model " + m.name() + " (" + m.modelHash().hex() + ") registered with " + m.computeUnits() + " compute units; inputs: "
                        + m.inputSchema().describe()));
    }
}
