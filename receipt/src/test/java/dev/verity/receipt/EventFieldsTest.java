package dev.verity.receipt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.core.Bytes;
import dev.verity.core.DecodingException;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.core.Sha256;
import dev.verity.ledger.event.EventType;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.protocol.VerificationMode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The receipt's own reading of an event's type code and job agrees with the ledger's encoding of every event. */
class EventFieldsTest {
    static final Hash JOB = Sha256.digest(Bytes.utf8("a job"));
    static final PublicKey NODE = PrivateKey.deterministic("a node").publicKey();
    static final PublicKey ACCOUNT = PrivateKey.deterministic("an account").publicKey();

    @Test
    void agreesWithTheLedgersEncodingForEveryEventType() {
        int checked = 0;
        for (EventType type : EventType.values()) {
            for (LedgerEvent e : variants(type)) {
                EventFields f = EventFields.read(e.encode());
                assertThat(f.typeCode()).as("%s", e).isEqualTo(type.code());
                assertThat(f.job()).as("%s", e).isEqualTo(e.job());
                assertThat(f.names(JOB)).isEqualTo(e.job() != null);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(EventType.values().length * 8);
    }

    /** The event with and without a job, a node and an account, a mode and a long reason. */
    private static List<LedgerEvent> variants(EventType type) {
        List<LedgerEvent> out = new ArrayList<>();
        for (Hash job : new Hash[] {JOB, null}) {
            for (PublicKey who : new PublicKey[] {NODE, null}) {
                out.add(LedgerEvent.of(type, job, who, who == null ? ACCOUNT : null, 12_345, "why: " + type));
                out.add(LedgerEvent.of(type, job, who, ACCOUNT, Long.MAX_VALUE, "x".repeat(4096)).withMode(VerificationMode.ZK));
            }
        }
        return out;
    }

    @Test
    void theLongestEventFitsTheReceiptsLimit() {
        LedgerEvent longest = LedgerEvent.of(EventType.JOB_FAILED, JOB, NODE, ACCOUNT, Long.MAX_VALUE, "\u20ac".repeat(1365))
                .withMode(VerificationMode.SAMPLED);
        byte[] bytes = longest.encode();
        assertThat(LedgerEvent.decode(bytes)).isEqualTo(longest); // the reason's limit is 4096 bytes
        assertThat(bytes.length).isLessThanOrEqualTo(JobReceipt.MAX_EVENT_BYTES);
    }

    @Test
    void bytesTooShortOrWithABadFlagAreRefused() {
        assertThatThrownBy(() -> EventFields.read(new byte[0])).isInstanceOf(DecodingException.class)
                .hasMessageContaining("event type");
        assertThatThrownBy(() -> EventFields.read(new byte[] {13, 2})).isInstanceOf(DecodingException.class)
                .hasMessageContaining("a boolean is 0 or 1");
        assertThatThrownBy(() -> EventFields.read(new byte[] {13, 1, 7})).isInstanceOf(DecodingException.class)
                .hasMessageContaining("truncated");
        assertThat(EventFields.read(new byte[] {40, 0})).isEqualTo(new EventFields(40, null));
    }
}
