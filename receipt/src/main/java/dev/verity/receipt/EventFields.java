package dev.verity.receipt;

import dev.verity.core.Decoder;
import dev.verity.core.DecodingException;
import dev.verity.core.Hash;

/**
 * The two fields of an encoded ledger event that a receipt needs, read without the ledger: the event's type code and
 * the job it is about ({@code null} when it names none).
 *
 * <p>An event is encoded (ledger {@code LedgerEvent.encode}, docs/PROTOCOL.md "Events") as {@code type:u8}, then
 * {@code jobPresent:bool} and, when 1, {@code job:hash}, then the node, account, amount, reason and mode. Only the
 * first two fields are read here; the rest is left as it is (the Merkle path, not this decoder, vouches for the whole
 * byte string). The type code is the ledger's {@code EventType} code (9 {@code JOB_SUBMITTED}, 13 {@code JOB_SETTLED},
 * ... the table in the docs); it is returned as a number, not checked against that table, so a receipt of a newer
 * ledger with a new event type still reads.
 */
public record EventFields(int typeCode, Hash job) {
    public EventFields {
        if (typeCode < 0 || typeCode > 0xFF) {
            throw new IllegalArgumentException("an event type code is one byte, got " + typeCode);
        }
    }

    /**
     * The type code and job of an encoded event.
     *
     * @throws DecodingException when the bytes are too short for them, or the job-present flag is neither 0 nor 1
     */
    public static EventFields read(byte[] event) {
        Decoder d = new Decoder(event);
        int type = d.u8("event type");
        Hash job = d.bool("event job present") ? d.hash("event job") : null;
        return new EventFields(type, job);
    }

    /** Whether the event is about {@code jobId}. */
    public boolean names(Hash jobId) {
        return job != null && job.equals(jobId);
    }
}
