package dev.verity.economics.sim;

import dev.verity.core.PublicKey;
import dev.verity.ledger.evidence.TeeBatchStatement;
import dev.verity.ledger.evidence.TeeResultStatement;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.tx.Payload;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * What the compute nodes send, by block: each audit report in its own transaction, a node's results due in the same
 * block in one {@code SubmitResults} (one enclave signature over the root of their TEE statements), a lone result as
 * {@code SubmitResult}. Each transaction is signed ahead on the {@link Signer} as soon as the work is scheduled, with
 * the nonce the node will have then (its nonce now plus the transactions it has still to send); a node's work finishes
 * in order, so a result joins the node's last transaction or opens a new one.
 */
final class Outbox {
    private static final Comparator<Send> ORDER = Comparator.comparingLong(Send::firstFinishMs)
            .thenComparingInt(s -> s.node.index).thenComparing(s -> s.items.getFirst().item().job());

    /** One transaction of {@code node} in {@code block}: an audit report, or one or more results. */
    static final class Send {
        final ComputeNode node;
        final long block;
        final long nonce;
        final List<ComputeNode.Completion> items = new ArrayList<>();
        Signer.Pending tx;

        private Send(ComputeNode node, long block, long nonce) {
            this.node = node;
            this.block = block;
            this.nonce = nonce;
        }

        long firstFinishMs() {
            return items.getFirst().finishMs();
        }
    }

    private final SimProgram program;
    private final Signer signer;
    private final TreeMap<Long, List<Send>> byBlock = new TreeMap<>();
    private final Send[] lastResults;
    private final int[] unsent;

    Outbox(SimProgram program, Signer signer, int nodes) {
        this.program = program;
        this.signer = signer;
        this.lastResults = new Send[nodes];
        this.unsent = new int[nodes];
    }

    /** Schedules finished work; {@code nonce} gives a node's nonce on chain now. */
    void add(ComputeNode.Completion c, ToLongFunction<PublicKey> nonce) {
        ComputeNode n = c.node();
        boolean audit = c.item().kind() == ComputeNode.Kind.AUDIT;
        Send last = lastResults[n.index];
        Send s;
        if (!audit && last != null && last.block == c.block()) {
            s = last;
            s.tx.cancel(false);
        } else {
            s = new Send(n, c.block(), nonce.applyAsLong(n.id()) + unsent[n.index]++);
            byBlock.computeIfAbsent(c.block(), k -> new ArrayList<>()).add(s);
            if (!audit) {
                lastResults[n.index] = s;
            }
        }
        s.items.add(c);
        List<ComputeNode.Completion> items = List.copyOf(s.items);
        s.tx = signer.sign(s.block, n.key, s.nonce, () -> payload(items));
    }

    /** The transactions due in block {@code h}, in the order their first work finished. */
    List<Send> due(long h) {
        List<Send> due = byBlock.remove(h);
        if (due == null) {
            return List.of();
        }
        for (Send s : due) {
            unsent[s.node.index]--;
            if (lastResults[s.node.index] == s) {
                lastResults[s.node.index] = null;
            }
        }
        due.sort(ORDER);
        return due;
    }

    /** The payload of a send: an audit report, a lone result, or a batch. */
    Payload payload(List<ComputeNode.Completion> items) {
        if (items.size() == 1) {
            return single(items.getFirst());
        }
        List<Payload.SubmitResult> results = new ArrayList<>(items.size());
        List<TeeResultStatement> statements = new ArrayList<>();
        for (ComputeNode.Completion c : items) {
            ComputeNode.WorkItem w = c.item();
            if (w.mode() == VerificationMode.TEE) {
                statements.add(statement(w));
                results.add(new Payload.SubmitResult(w.job(), program.output(w.input()), new byte[0]));
            } else {
                results.add(new Payload.SubmitResult(w.job(), program.output(w.input()), evidence(c.node(), w)));
            }
        }
        byte[] signature = statements.isEmpty() ? new byte[0]
                : items.getFirst().node().enclave.sign(TeeBatchStatement.of(statements).signingBytes()).bytes();
        return new Payload.SubmitResults(results, signature);
    }

    /** One audit report or one result, on its own. */
    Payload single(ComputeNode.Completion c) {
        ComputeNode.WorkItem w = c.item();
        byte[] output = program.output(w.input());
        return w.kind() == ComputeNode.Kind.AUDIT
                ? new Payload.AuditReport(w.job(), output, program.traceClaim(w.job(), w.resultNode(), w.input()))
                : new Payload.SubmitResult(w.job(), output, evidence(c.node(), w));
    }

    private byte[] evidence(ComputeNode n, ComputeNode.WorkItem w) {
        return switch (w.mode()) {
            case NONE -> new byte[0];
            case TEE -> n.enclave.sign(statement(w).signingBytes()).bytes();
            case OPTIMISTIC, SAMPLED -> program.traceClaim(w.job(), n.id(), w.input());
            case ZK -> ZkStandInVerifier.proof(w.job(), program.outputHash(w.input()));
        };
    }

    private TeeResultStatement statement(ComputeNode.WorkItem w) {
        return new TeeResultStatement(w.job(), SimProgram.MODEL, program.inputHash(w.input()), program.outputHash(w.input()));
    }
}
