package dev.verity.inference.trace;

import dev.verity.core.Decoder;
import dev.verity.core.DecodingException;
import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.inference.program.ProgramCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * What a party hands the chain to prove one transition of a generation's trace ({@link GenerationStepVerifier}).
 *
 * <pre>
 *   u8 tag                 11 start, 12 op, 13 boundary, 14 done
 *   start:    bytes decoderLeaf, path                           into index 0
 *   op:       tokensHash:32, bytes opWitness                    one step of a pass (StepWitness's op encoding)
 *   boundary: bytes decoderLeaf, path, u32 n, n x u32 token,    from a pass's final state to the next pass's
 *             tensors (the final state, StepWitness's encoding)  first state, or to the output
 *   done:     outputHash:32                                     after the generation ended
 *   path    = u32 n (at most 32), n x 32-byte hash
 * </pre>
 */
public sealed interface GenerationWitness permits GenerationWitness.Start, GenerationWitness.Op, GenerationWitness.Boundary,
        GenerationWitness.Done {
    int START_TAG = 11;
    int OP_TAG = 12;
    int BOUNDARY_TAG = 13;
    int DONE_TAG = 14;

    byte[] encode();

    /** Into index 0: the job's prompt into the first pass's inputs. */
    record Start(DecoderLeaf decoder, List<Hash> decoderPath) implements GenerationWitness {
        public Start {
            if (decoder == null) {
                throw new IllegalArgumentException("a start witness needs the decoder leaf");
            }
            decoderPath = WitnessCodec.path(decoderPath);
        }

        @Override
        public byte[] encode() {
            Encoder e = new Encoder(1024).u8(START_TAG);
            e.bytes(decoder.encode());
            WitnessCodec.writePath(e, decoderPath);
            return e.toByteArray();
        }
    }

    /** One plan step inside a pass: the tokens drawn so far by their hash, and the step's witness. */
    record Op(Hash tokensHash, StepWitness.OpWitness step) implements GenerationWitness {
        public Op {
            if (tokensHash == null || step == null) {
                throw new IllegalArgumentException("an op witness of a generation needs the tokens hash and the step witness");
            }
        }

        @Override
        public byte[] encode() {
            byte[] inner = step.encode();
            return new Encoder(inner.length + 48).u8(OP_TAG).hash(tokensHash).bytes(inner).toByteArray();
        }
    }

    /** From the final state of a pass: the tokens drawn so far and that state (the logits in full). */
    record Boundary(DecoderLeaf decoder, List<Hash> decoderPath, List<Integer> generated, List<WitnessTensor> finalState)
            implements GenerationWitness {
        public Boundary {
            if (decoder == null || generated == null) {
                throw new IllegalArgumentException("a boundary witness needs the decoder leaf and the generated tokens");
            }
            decoderPath = WitnessCodec.path(decoderPath);
            generated = List.copyOf(generated);
            finalState = WitnessCodec.tensors(finalState);
        }

        @Override
        public byte[] encode() {
            Encoder e = new Encoder(16384).u8(BOUNDARY_TAG);
            e.bytes(decoder.encode());
            WitnessCodec.writePath(e, decoderPath);
            e.list(generated, (enc, t) -> enc.u32(Integer.toUnsignedLong(t)));
            WitnessCodec.writeTensors(e, finalState);
            return e.toByteArray();
        }
    }

    /** After the generation ended: the output's hash. */
    record Done(Hash outputHash) implements GenerationWitness {
        public Done {
            if (outputHash == null) {
                throw new IllegalArgumentException("a done witness needs the output hash");
            }
        }

        @Override
        public byte[] encode() {
            return new Encoder(33).u8(DONE_TAG).hash(outputHash).toByteArray();
        }
    }

    /** The most generated tokens a boundary witness may list (no context is longer). */
    int MAX_GENERATED = 1 << 16;

    /** Reads {@link #encode()}'s bytes; anything malformed, or longer than {@code maxBytes}, is a {@link DecodingException}. */
    static GenerationWitness decode(byte[] bytes, int maxBytes) {
        if (bytes == null) {
            throw new DecodingException("no witness bytes");
        }
        if (bytes.length > maxBytes) {
            throw new DecodingException("witness is " + bytes.length + " bytes, more than the limit of " + maxBytes);
        }
        Decoder d = new Decoder(bytes);
        int tag = d.u8("witness tag");
        GenerationWitness w = switch (tag) {
            case START_TAG -> {
                DecoderLeaf leaf = DecoderLeaf.decode(d.bytes("decoder leaf", d.remaining()));
                List<Hash> path = WitnessCodec.readPath(d, "decoder path");
                yield ProgramCodec.guard("start witness", () -> new Start(leaf, path));
            }
            case OP_TAG -> {
                Hash tokens = d.hash("tokens hash");
                StepWitness inner = StepWitness.decode(d.bytes("step witness", d.remaining()), maxBytes);
                if (!(inner instanceof StepWitness.OpWitness op)) {
                    throw new DecodingException("a generation's op witness holds an op step's witness, not tag "
                            + inner.encode()[0]);
                }
                yield ProgramCodec.guard("op witness", () -> new Op(tokens, op));
            }
            case BOUNDARY_TAG -> {
                DecoderLeaf leaf = DecoderLeaf.decode(d.bytes("decoder leaf", d.remaining()));
                List<Hash> path = WitnessCodec.readPath(d, "decoder path");
                long n = d.u32("generated token count");
                if (n > MAX_GENERATED || n * 4 > d.remaining()) {
                    throw new DecodingException("the witness lists " + n + " generated tokens; at most " + MAX_GENERATED
                            + " and what the bytes left hold");
                }
                List<Integer> generated = new ArrayList<>((int) n);
                for (int i = 0; i < n; i++) {
                    generated.add((int) d.u32("generated token"));
                }
                List<WitnessTensor> fin = WitnessCodec.readTensors(d, "final state");
                yield ProgramCodec.guard("boundary witness", () -> new Boundary(leaf, path, generated, fin));
            }
            case DONE_TAG -> new Done(d.hash("output hash"));
            default -> throw new DecodingException("unknown generation witness tag " + tag
                    + " (11 start, 12 op, 13 boundary, 14 done)");
        };
        d.end("generation witness");
        return w;
    }
}
