package dev.verity.validator.api;

import dev.verity.core.ByteKey;
import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.Merkle;
import dev.verity.protocol.block.BlockHeader;
import dev.verity.protocol.state.StateProof;
import dev.verity.protocol.state.StateTable;
import dev.verity.sdk.api.EventProofView;
import dev.verity.sdk.api.HeaderView;
import dev.verity.sdk.api.StateProofView;
import dev.verity.validator.chain.ChainNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;

/**
 * Proofs a client checks offline ({@code dev.verity.sdk.proof.ProofVerifier}): a row of the state (account, node,
 * model, live job), present or absent, against the head block's state root; an event against its block's events
 * root. Each answer carries the whole header and its hash, so the client needs nothing else from this node.
 */
final class ProofRoutes {
    private static final String ABSENT_ACCOUNT = "absent: an account that never received funds has no row (it reads as "
            + "balance 0, nonce 0)";
    private static final String ABSENT_NODE = "absent: no node with this id is registered";
    private static final String ABSENT_MODEL = "absent: no model with this id is registered";
    private static final String ABSENT_JOB = "absent from the live state: the job never existed, or it finished (settled, "
            + "expired, cancelled or failed) and left the state; its events, with their proofs, say how it ended";

    private final ChainNode chain;

    ProofRoutes(ChainNode chain) {
        this.chain = chain;
    }

    void register(Javalin a) {
        a.get("/v1/accounts/{id}/proof", ctx -> {
            var id = RequestParams.pathKey(ctx, "id", "an account");
            state(ctx, StateTable.ACCOUNTS, id.hex(), StateTable.ACCOUNTS.rowKey(id), ABSENT_ACCOUNT);
        });
        a.get("/v1/nodes/{id}/proof", ctx -> {
            var id = RequestParams.pathKey(ctx, "id", "a node id");
            state(ctx, StateTable.NODES, id.hex(), StateTable.NODES.rowKey(id), ABSENT_NODE);
        });
        a.get("/v1/models/{id}/proof", ctx -> {
            Hash id = RequestParams.pathHash(ctx, "id", "a model id (the SHA-256 of the model file)");
            state(ctx, StateTable.MODELS, id.hex(), StateTable.MODELS.rowKey(id), ABSENT_MODEL);
        });
        a.get("/v1/jobs/{id}/proof", ctx -> {
            Hash id = RequestParams.pathHash(ctx, "id", "a job id (the hash of its SubmitJob transaction)");
            state(ctx, StateTable.JOBS, id.hex(), StateTable.JOBS.rowKey(id), ABSENT_JOB);
        });
        a.get("/v1/blocks/{height}/events/{index}/proof", this::event);
    }

    private void state(Context ctx, StateTable table, String id, byte[] key, String absentNote) {
        // The proof and the header come from one hold of the chain: the state in memory is the head block's.
        StateProofView view = chain.readAtHead((header, s) -> {
            if (header == null) {
                throw ApiException.notFound("no blocks yet: the chain is at genesis (height 0), and a proof needs a block "
                        + "header to check against");
            }
            StateProof p = s.prove(new ByteKey(key));
            if (!p.root().equals(header.stateRoot())) {
                throw new IllegalStateException("the state root " + p.root().hex() + " differs from head block "
                        + header.height() + "'s " + header.stateRoot().hex());
            }
            return new StateProofView(table.tableName(), id, Bytes.hex(key), p.value() == null ? null : Bytes.hex(p.value()),
                    Bytes.hex(p.proof().encode()), HeaderView.of(header), header.hash().hex(),
                    p.value() == null ? absentNote : null);
        });
        ctx.json(view);
    }

    private void event(Context ctx) {
        long height = RequestParams.pathLong(ctx, "height", 1, "a block height");
        long index = RequestParams.pathLong(ctx, "index", 0, "an event's index within its block");
        // A stored block and its events were committed in one batch and never change: no lock needed.
        BlockHeader header = chain.blockHeader(height).orElseThrow(() -> ApiException.notFound("no block at height " + height
                + " on this chain; it is at height " + chain.height()));
        List<byte[]> events = chain.blockEvents(height);
        if (index >= events.size()) {
            throw ApiException.notFound("block " + height + (events.isEmpty() ? " emitted no events"
                    : " emitted " + events.size() + " events; index " + index + " is out of range 0.." + (events.size() - 1)));
        }
        List<Hash> leaves = events.stream().map(Merkle::leaf).toList();
        if (!Merkle.root(leaves).equals(header.eventsRoot())) {
            throw new IllegalStateException("the stored events of block " + height + " do not match its events root");
        }
        int i = (int) index;
        List<String> path = Merkle.path(leaves, i).stream().map(Hash::hex).toList();
        ctx.json(new EventProofView(height, i, events.size(), Bytes.hex(events.get(i)), path, HeaderView.of(header),
                header.hash().hex()));
    }
}
