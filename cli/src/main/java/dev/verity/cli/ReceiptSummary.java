package dev.verity.cli;

import dev.verity.core.DecodingException;
import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.ledger.event.EventType;
import dev.verity.protocol.consensus.FinalityCertificate;
import dev.verity.protocol.consensus.ValidatorSet;
import dev.verity.receipt.CertifiedBlock;
import dev.verity.receipt.EventFields;
import dev.verity.receipt.JobReceipt;
import dev.verity.receipt.ReceiptEvent;
import dev.verity.receipt.ReceiptVerification;
import dev.verity.receipt.TrustedValidators;
import dev.verity.receipt.ValidatorSetChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** How {@code verity job receipt} and {@code verity receipt verify} show a receipt: JSON objects and table rows. */
final class ReceiptSummary {
    private ReceiptSummary() {}

    /** The ledger's name of an event type code, or {@code code N} for one this CLI does not know. */
    static String eventType(int code) {
        try {
            return EventType.fromCode(code).name();
        } catch (DecodingException e) {
            return "code " + code;
        }
    }

    /**
     * The blocks of a receipt that is not verified: signers, and their stake where the set a vote names is one of
     * {@code knownSets} (the node's current set, the receipt's set changes), else null.
     */
    static List<Map<String, Object>> blocks(JobReceipt r, List<ValidatorSet> knownSets) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (CertifiedBlock b : r.blocks()) {
            FinalityCertificate c = b.certificate();
            ValidatorSet set = knownSets.stream().filter(s -> s.hash().equals(c.vote().validatorSetHash())).findFirst()
                    .orElse(null);
            Long signed = null;
            if (set != null) {
                long sum = 0;
                for (FinalityCertificate.Signer s : c.signers()) {
                    sum += set.stakeOf(s.validator());
                }
                signed = sum;
            }
            List<Map<String, Object>> events = new ArrayList<>();
            for (ReceiptEvent e : b.events()) {
                events.add(event(e));
            }
            out.add(Output.object("height", b.height(), "blockHash", b.blockHash().hex(), "stateRoot",
                    b.header().stateRoot().hex(), "eventsRoot", b.header().eventsRoot().hex(), "eventCount", b.eventCount(),
                    "validatorSetHash", c.vote().validatorSetHash().hex(), "signers", c.signers().stream()
                            .map(s -> s.validator().hex()).toList(), "signedStake", signed,
                    "totalStake", set == null ? null : set.totalStake(), "events", events));
        }
        return out;
    }

    private static Map<String, Object> event(ReceiptEvent e) {
        try {
            EventFields f = e.fields();
            return Output.object("index", e.index(), "type", eventType(f.typeCode()), "typeCode", f.typeCode(), "job",
                    f.job() == null ? null : f.job().hex());
        } catch (DecodingException x) {
            return Output.object("index", e.index(), "type", null, "typeCode", null, "job", null);
        }
    }

    static List<Map<String, Object>> setChanges(JobReceipt r) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ValidatorSetChange c : r.setChanges()) {
            out.add(Output.object("height", c.height(), "blockHash", c.blockHash().hex(), "validatorSetHash",
                    c.set().hash().hex(), "validators", c.set().members().size(), "totalStake", c.set().totalStake()));
        }
        return out;
    }

    /** The blocks of a verified receipt, with their events. */
    static List<Map<String, Object>> blocks(ReceiptVerification v) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ReceiptVerification.Block b : v.blocks()) {
            List<Map<String, Object>> events = new ArrayList<>();
            for (ReceiptVerification.Event e : v.events()) {
                if (e.height() == b.height()) {
                    events.add(Output.object("index", e.index(), "type", eventType(e.typeCode()), "typeCode", e.typeCode()));
                }
            }
            out.add(Output.object("height", b.height(), "blockHash", b.blockHash().hex(), "stateRoot",
                    b.header().stateRoot().hex(), "eventsRoot", b.header().eventsRoot().hex(), "eventCount", b.eventCount(),
                    "validatorSetHash", b.validatorSetHash().hex(), "signers", b.signers().stream().map(PublicKey::hex).toList(),
                    "signedStake", b.signedStake(), "totalStake", b.totalStake(), "events", events));
        }
        return out;
    }

    static List<Map<String, Object>> setChanges(ReceiptVerification v) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ReceiptVerification.SetChange c : v.setChanges()) {
            out.add(Output.object("height", c.height(), "blockHash", c.blockHash().hex(), "validatorSetHash",
                    c.validatorSetHash().hex(), "validators", c.validators(), "totalStake", c.totalStake()));
        }
        return out;
    }

    /** One table row per event: block, index, type. */
    static List<List<String>> eventRows(List<Map<String, Object>> blocks) {
        List<List<String>> rows = new ArrayList<>();
        for (Map<String, Object> b : blocks) {
            Object signed = b.get("signedStake");
            Object total = b.get("totalStake");
            String signers = ((List<?>) b.get("signers")).size() + " signers" + (signed == null ? ""
                    : ", " + Output.tokens((Long) signed) + " of " + Output.tokens((Long) total));
            for (Object o : (List<?>) b.get("events")) {
                Map<?, ?> e = (Map<?, ?>) o;
                rows.add(List.of(String.valueOf(b.get("height")), Output.shortId((String) b.get("blockHash")),
                        e.get("index") + " of " + b.get("eventCount"), String.valueOf(e.get("type")), signers));
            }
        }
        return rows;
    }

    static final List<String> EVENT_HEADERS = List.of(">BLOCK", "HASH", ">EVENT", "TYPE", "CERTIFIED BY");

    /** What a trusted set is, for output. */
    static Map<String, Object> trust(TrustedValidators t, String source, boolean firstUse) {
        return Output.object("source", source, "trustedOnFirstUse", firstUse, "chainId", t.chainId(), "height",
                t.fromHeight(), "validatorSetHash", t.setHash().hex(), "validators", t.set().members().size(),
                "totalStake", t.set().totalStake());
    }

    static String hex(Hash h) {
        return h == null ? null : h.hex();
    }
}
