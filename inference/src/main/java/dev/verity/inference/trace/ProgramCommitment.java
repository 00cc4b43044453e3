package dev.verity.inference.trace;

import dev.verity.core.Hash;
import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.program.Program;
import java.util.List;

/**
 * A Merkle commitment to a program, shaped for proving single steps: leaf 0 is the {@link IoLeaf}, leaf
 * {@code 1 + i} the {@link OpLeaf} of op {@code i} (each {@code Merkle.leaf} of the encoding). A dispute
 * about step {@code s} needs only the one op leaf covering it and its path, not the whole program.
 */
public final class ProgramCommitment extends LeafCommitment {
    private final IoLeaf io;

    /** Commits to {@code program}; it must have exactly one input (the job input). */
    public ProgramCommitment(Program program) {
        this(program, new IntegerEngine(checkSingleInput(program), EngineOptions.SCALAR));
    }

    private ProgramCommitment(Program program, IntegerEngine engine) {
        this(ioLeaf(program, engine), OpLeaves.of(program, engine));
    }

    private ProgramCommitment(IoLeaf io, List<OpLeaf> ops) {
        super(io.encode(), ops, io.stepCount());
        this.io = io;
    }

    private static Program checkSingleInput(Program program) {
        if (program.inputs().size() != 1) {
            throw new IllegalArgumentException("a program with " + program.inputs().size()
                    + " inputs cannot run a job, which feeds exactly one");
        }
        return program;
    }

    private static IoLeaf ioLeaf(Program program, IntegerEngine engine) {
        return new IoLeaf(program.tensor(program.inputs().get(0)), program.tensor(program.outputs().get(0)),
                program.outputs().stream().sorted().toList(), engine.plan().size(), program.ops().size());
    }

    public IoLeaf ioLeaf() {
        return io;
    }

    public List<Hash> ioPath() {
        return firstLeafPath();
    }
}
