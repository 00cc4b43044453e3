package dev.verity.proofs.attestation;

import dev.verity.core.Decoder;
import dev.verity.core.DecodingException;
import dev.verity.core.Encoder;
import java.util.ArrayList;
import java.util.List;

/**
 * The attestation document a node submits to register an enclave key, as hardware produced it.
 * Encoding: {@code u8 teeType} then, for SEV-SNP, {@code bytes report, bytes leafCertificate,
 * list<bytes> intermediates} (VCEK or VLEK, then ASK or ASVK: the ARK never travels, it comes from
 * chain state); for TDX, {@code bytes quote} (the PCK chain is inside the quote).
 */
public sealed interface AttestationEvidence {
    int MAX_PART = 64 * 1024;
    int MAX_INTERMEDIATES = 4;

    TeeType type();

    byte[] encode();

    record SevSnp(byte[] report, byte[] leafCertificate, List<byte[]> intermediates) implements AttestationEvidence {
        public SevSnp {
            report = report.clone();
            leafCertificate = leafCertificate.clone();
            List<byte[]> copy = new ArrayList<>();
            for (byte[] c : intermediates) {
                copy.add(c.clone());
            }
            intermediates = List.copyOf(copy);
        }

        @Override
        public TeeType type() {
            return TeeType.SEV_SNP;
        }

        @Override
        public byte[] report() {
            return report.clone();
        }

        @Override
        public byte[] leafCertificate() {
            return leafCertificate.clone();
        }

        @Override
        public List<byte[]> intermediates() {
            List<byte[]> out = new ArrayList<>();
            for (byte[] c : intermediates) {
                out.add(c.clone());
            }
            return out;
        }

        @Override
        public byte[] encode() {
            Encoder e = new Encoder(report.length + leafCertificate.length + 4096);
            e.u8(type().code()).bytes(report).bytes(leafCertificate);
            e.list(intermediates, Encoder::bytes);
            return e.toByteArray();
        }
    }

    record Tdx(byte[] quote) implements AttestationEvidence {
        public Tdx {
            quote = quote.clone();
        }

        @Override
        public TeeType type() {
            return TeeType.TDX;
        }

        @Override
        public byte[] quote() {
            return quote.clone();
        }

        @Override
        public byte[] encode() {
            return new Encoder(quote.length + 8).u8(type().code()).bytes(quote).toByteArray();
        }
    }

    /** Parses a document; any malformation is a {@link DecodingException} saying where. */
    static AttestationEvidence decode(byte[] document) {
        Decoder d = new Decoder(document);
        TeeType type = TeeType.fromCode(d.u8("attestation type"));
        AttestationEvidence e = switch (type) {
            case SEV_SNP -> new SevSnp(d.bytes("SEV-SNP report", MAX_PART), d.bytes("VCEK/VLEK certificate", MAX_PART),
                    d.list("intermediate certificates", MAX_INTERMEDIATES, x -> x.bytes("intermediate certificate", MAX_PART)));
            case TDX -> new Tdx(d.bytes("TDX quote", MAX_PART));
        };
        d.end("attestation document");
        return e;
    }
}
