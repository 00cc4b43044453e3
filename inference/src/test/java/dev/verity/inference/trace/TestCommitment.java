package dev.verity.inference.trace;

import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.program.Program;

/**
 * A {@link CommittedProgram} for programs of several inputs that are no decoder, whose leaf 0 is a stand-in
 * {@link IoLeaf} of the first input and output: op steps never read leaf 0, so they prove as under a real commitment.
 */
final class TestCommitment extends LeafCommitment {
    final IntegerEngine engine;

    TestCommitment(Program program) {
        this(program, new IntegerEngine(program, EngineOptions.SCALAR));
    }

    private TestCommitment(Program program, IntegerEngine engine) {
        super(new IoLeaf(program.tensor(program.inputs().get(0)), program.tensor(program.outputs().get(0)),
                program.outputs().stream().sorted().toList(), engine.plan().size(), program.ops().size()).encode(),
                OpLeaves.of(program, engine), engine.plan().size());
        this.engine = engine;
    }
}
