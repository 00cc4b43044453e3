package dev.verity.inference.trace;

import dev.verity.core.Hash;
import dev.verity.core.Merkle;
import dev.verity.core.Sha256;
import dev.verity.inference.engine.State;
import dev.verity.inference.generate.FinishReason;
import dev.verity.inference.generate.GenerationJob;
import dev.verity.inference.generate.GenerationOutput;
import dev.verity.inference.generate.GenerationParameters;
import dev.verity.inference.generate.Sampler;
import dev.verity.inference.generate.SeedStream;
import dev.verity.inference.generate.TokenLoop;
import dev.verity.inference.program.DType;
import dev.verity.inference.program.Tensor;
import dev.verity.inference.program.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The one-step check a dispute over a generation ends in ({@link GenerationTrace} gives the layout): from the value both
 * parties agree on at {@code index - 1} and a {@link GenerationWitness}, the correct value at {@code index}, using only
 * the committed step program's root, the job and the witness. As for single-input programs, the result depends only on
 * the agreed value, the index, the job and the committed program, never on which valid witness is offered.
 */
public final class GenerationStepVerifier {
    private GenerationStepVerifier() {}

    /**
     * The correct value at {@code index} of the trace of {@code job} under the step program committed to by
     * {@code root}/{@code leafCount}/{@code stepCount}; throws StepRejectedException when the witness does not prove or
     * does not fit the index.
     */
    public static Hash transition(Hash root, int leafCount, int stepCount, long index, Hash agreedPrevious,
                                  GenerationJob job, GenerationWitness witness) {
        if (root == null || witness == null || job == null) {
            throw new StepRejectedException("the program root, the job and the witness are required");
        }
        if (leafCount < 2 || stepCount < 1) {
            throw new StepRejectedException("a step program has at least one op and one step, got " + leafCount
                    + " leaves and " + stepCount + " steps");
        }
        GenerationTrace trace = new GenerationTrace(job.promptLength(), job.maxTokens(), stepCount);
        if (index < 0 || index >= trace.size()) {
            throw new StepRejectedException("trace index " + index + " outside 0.." + (trace.size() - 1));
        }
        if (index == 0) {
            if (!(witness instanceof GenerationWitness.Start w)) {
                throw new StepRejectedException("index 0 needs a start witness, got " + kind(witness));
            }
            return start(root, leafCount, stepCount, job, w);
        }
        if (agreedPrevious == null) {
            throw new StepRejectedException("index " + index + " needs the agreed value at index " + (index - 1));
        }
        if (witness instanceof GenerationWitness.Done w) {
            if (!GenerationTrace.done(w.outputHash()).equals(agreedPrevious)) {
                throw new StepRejectedException("the agreed value at index " + (index - 1) + " is not the end of a generation "
                        + "with output hash " + w.outputHash());
            }
            return trace.ended(index, w.outputHash());
        }
        boolean boundary = trace.isOutput(index) || trace.stepOf(index) == 0;
        if (boundary) {
            if (!(witness instanceof GenerationWitness.Boundary w)) {
                throw new StepRejectedException("index " + index + " follows a pass's final state and needs a boundary or done "
                        + "witness, got " + kind(witness));
            }
            int pass = trace.isOutput(index) ? (int) (trace.passes() - 1) : trace.passOf(index) - 1;
            return boundary(root, leafCount, stepCount, trace, index, pass, agreedPrevious, job, w);
        }
        if (!(witness instanceof GenerationWitness.Op w)) {
            throw new StepRejectedException("index " + index + " is step " + (trace.stepOf(index) - 1) + " of pass "
                    + trace.passOf(index) + " and needs an op or done witness, got " + kind(witness));
        }
        int pass = trace.passOf(index);
        Hash before = OneStepVerifier.stateHash(w.step().preState());
        if (!GenerationTrace.live(pass, w.tokensHash(), before).equals(agreedPrevious)) {
            throw new StepRejectedException("the witness's state before step " + (trace.stepOf(index) - 1) + " of pass " + pass
                    + " and tokens hash do not give the agreed value " + agreedPrevious);
        }
        Hash after = OneStepVerifier.opStep(root, leafCount, stepCount, trace.stepOf(index) - 1, before, w.step());
        return GenerationTrace.live(pass, w.tokensHash(), after);
    }

    /**
     * Whether the integer engine refuses the job at its first step (a prompt or stop token outside the vocabulary, a
     * prompt and a length over the context): the decoder leaf of {@code witness} must prove against the root. Returns
     * the refusal, or empty when a node must answer with a result. Throws StepRejectedException when the witness does
     * not prove.
     */
    public static Optional<String> inputRefusal(Hash root, int leafCount, int stepCount, GenerationJob job,
                                                GenerationWitness.Start witness) {
        if (root == null || witness == null || job == null) {
            throw new StepRejectedException("the program root, the job and the start witness are required");
        }
        DecoderLeaf leaf = checkDecoder(root, leafCount, stepCount, witness.decoder(), witness.decoderPath());
        try {
            TokenLoop.check(leaf.vocabSize(), leaf.contextLength(), job.prompt(), job.parameters(leaf.endToken()));
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    // ---------------------------------------------------------------------------------------------

    private static Hash start(Hash root, int leafCount, int stepCount, GenerationJob job, GenerationWitness.Start w) {
        DecoderLeaf leaf = checkDecoder(root, leafCount, stepCount, w.decoder(), w.decoderPath());
        parameters(leaf, job);
        TreeMap<String, Hash> contents = new TreeMap<>();
        for (DecoderLeaf.Cache c : leaf.caches()) {
            TensorSpec s = c.input();
            contents.put(s.name(), State.tensorContent(Tensor.zeros(s.dtype(), s.shape())));
        }
        Hash state = passInputs(leaf, job.promptToken(0), 0, contents);
        return GenerationTrace.live(0, GenerationTrace.tokensHash(List.of()), state);
    }

    private static Hash boundary(Hash root, int leafCount, int stepCount, GenerationTrace trace, long index, int pass,
                                 Hash agreed, GenerationJob job, GenerationWitness.Boundary w) {
        DecoderLeaf leaf = checkDecoder(root, leafCount, stepCount, w.decoder(), w.decoderPath());
        GenerationParameters p = parameters(leaf, job);
        List<Integer> generated = new ArrayList<>(w.generated());
        if (generated.size() != trace.generatedBefore(pass)) {
            throw new StepRejectedException("before the draw of pass " + pass + " a generation has drawn "
                    + trace.generatedBefore(pass) + " tokens, the witness lists " + generated.size());
        }
        for (int t : generated) {
            if (t < 0 || t >= leaf.vocabSize()) {
                throw new StepRejectedException("the witness lists token " + Integer.toUnsignedLong(t)
                        + ", outside the vocabulary of " + leaf.vocabSize());
            }
        }
        List<WitnessTensor> state = w.finalState();
        List<String> names = state.stream().map(WitnessTensor::name).toList();
        if (!names.equals(leaf.outputNames())) {
            throw new StepRejectedException("a pass's final state holds " + leaf.outputNames() + ", the witness gives " + names);
        }
        Tensor logits = null;
        TreeMap<String, Hash> outputs = new TreeMap<>();
        for (WitnessTensor t : state) {
            boolean isLogits = t.name().equals(leaf.logits().name());
            if (t.isFull() != isLogits) {
                throw new StepRejectedException("final-state tensor '" + t.name() + "' must be given "
                        + (isLogits ? "in full (the next token is drawn from it)" : "as a content hash"));
            }
            if (isLogits) {
                TensorSpec spec = leaf.logits();
                if (t.tensor().dtype() != spec.dtype() || !Arrays.equals(t.tensor().shape(), spec.shape())) {
                    throw new StepRejectedException("the logits are " + t.tensor() + ", expected " + spec);
                }
                logits = t.tensor();
            }
            outputs.put(t.name(), t.content());
        }
        if (!GenerationTrace.live(pass, GenerationTrace.tokensHash(generated), OneStepVerifier.stateHash(state)).equals(agreed)) {
            throw new StepRejectedException("the witness's final state of pass " + pass + " and generated tokens do not give "
                    + "the agreed value " + agreed);
        }
        int next;
        if (pass + 1 < job.promptLength()) {
            next = job.promptToken(pass + 1);
        } else {
            long draw = new SeedStream(p.seed()).draw(generated.size());
            int token = Sampler.sample(logits, leaf.logits().quantization().scale(), p.temperatureMilli(), p.topPMilli(), draw);
            FinishReason end = TokenLoop.decide(token, generated, p);
            if (end != null) {
                return trace.ended(index, Sha256.digest(GenerationOutput.encode(generated, end)));
            }
            next = token;
        }
        if (trace.isOutput(index)) {
            throw new StepRejectedException("the generation goes on after its last possible pass " + pass);
        }
        TreeMap<String, Hash> caches = new TreeMap<>();
        for (DecoderLeaf.Cache c : leaf.caches()) {
            caches.put(c.input().name(), outputs.get(c.output()));
        }
        return GenerationTrace.live(pass + 1, GenerationTrace.tokensHash(generated), passInputs(leaf, next, pass + 1, caches));
    }

    /** The state hash of a pass's inputs: the token and position, and each cache input by its content hash. */
    static Hash passInputs(DecoderLeaf leaf, int token, int position, TreeMap<String, Hash> cacheContents) {
        TreeMap<String, Hash> leaves = new TreeMap<>();
        leaves.put(leaf.tokenInput(), State.tensorLeaf(leaf.tokenInput(), scalar(token)));
        leaves.put(leaf.positionInput(), State.tensorLeaf(leaf.positionInput(), scalar(position)));
        cacheContents.forEach((name, content) -> leaves.put(name, State.tensorLeaf(name, content)));
        return Merkle.root(new ArrayList<>(leaves.values()));
    }

    private static Tensor scalar(int value) {
        return Tensor.of(DType.INT32, new int[] {1}, new int[] {value});
    }

    private static GenerationParameters parameters(DecoderLeaf leaf, GenerationJob job) {
        GenerationParameters p = job.parameters(leaf.endToken());
        try {
            TokenLoop.check(leaf.vocabSize(), leaf.contextLength(), job.prompt(), p);
        } catch (IllegalArgumentException e) {
            throw new StepRejectedException("job input: " + e.getMessage());
        }
        return p;
    }

    private static DecoderLeaf checkDecoder(Hash root, int leafCount, int stepCount, DecoderLeaf leaf, List<Hash> path) {
        OneStepVerifier.checkFirstLeaf(root, leafCount, stepCount, leaf.encode(), path, leaf.stepCount(), leaf.opCount(),
                "decoder leaf");
        return leaf;
    }

    private static String kind(GenerationWitness w) {
        return switch (w) {
            case GenerationWitness.Start s -> "a start witness";
            case GenerationWitness.Op o -> "an op witness";
            case GenerationWitness.Boundary b -> "a boundary witness";
            case GenerationWitness.Done d -> "a done witness";
        };
    }
}
