package dev.verity.validator.api;

import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.trie.TrieProof;
import dev.verity.protocol.block.BlockHeader;
import dev.verity.protocol.state.StateProof;
import dev.verity.receipt.CertifiedBlock;
import dev.verity.receipt.JobReceipt;
import dev.verity.receipt.ValidatorSetChange;
import dev.verity.validator.chain.StoredEvents;
import dev.verity.protocol.consensus.FinalityCertificate;
import dev.verity.protocol.consensus.ValidatorInfo;
import dev.verity.protocol.consensus.ValidatorSet;
import dev.verity.validator.chain.ChainNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finality as clients read it: a block's certificate ({@code /v1/blocks/{height}/certificate}) and the validator set
 * the state after a block holds, which signs the next one ({@code /v1/validators[?height=H]}), in the trust-file form {@code verity receipt verify --trust}
 * reads: the set's canonical encoding in hex with its hash, and the members readable beside it.
 */
final class FinalityRoutes {
    private final ChainNode chain;

    FinalityRoutes(ChainNode chain) {
        this.chain = chain;
    }

    void register(Javalin a) {
        a.get("/v1/blocks/{height}/certificate", this::certificate);
        a.get("/v1/validators", this::validators);
        a.get("/v1/snapshot", this::snapshot);
        a.get("/v1/jobs/{id}/receipt", this::receipt);
        a.get("/v1/validator-set-changes", this::setChanges);
    }

    /**
     * The validator-set changes after block {@code ?after=H} (default 0) that this node keeps, oldest first: for each, the
     * block's header and certificate, the new set and the proof of its state row under the block's state root, all in
     * hex. A validator catching up follows them from the set it trusts to the set that signed the snapshot it fetched.
     */
    private void setChanges(Context ctx) {
        long after = RequestParams.queryLong(ctx, "after", 0L);
        List<Map<String, Object>> out = new ArrayList<>();
        for (long k : chain.validatorSetChangeHeights(after + 1, chain.height())) {
            Optional<ValidatorSetChange> change = setChange(k);
            if (change.isEmpty()) {
                break; // not final yet: the changes after it are not either
            }
            ValidatorSetChange c = change.get();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("height", k);
            m.put("header", Bytes.hex(encode(c.header())));
            m.put("certificate", Bytes.hex(c.certificate().encode()));
            m.put("validatorSet", Bytes.hex(c.set().encode()));
            m.put("proof", Bytes.hex(c.proof().encode()));
            out.add(m);
        }
        ctx.json(Map.of("after", after, "changes", out));
    }

    /**
     * The change block {@code height} made to the validator set: its header and certificate, the new set and the proof
     * of its row; empty while the block is not final (or the set after it is not kept).
     */
    private Optional<ValidatorSetChange> setChange(long height) {
        Optional<FinalityCertificate> cert = chain.certificate(height);
        Optional<byte[]> proof = chain.validatorSetProof(height);
        ValidatorSet next = height == chain.height() ? chain.currentValidatorSet() : chain.signingSet(height + 1).orElse(null);
        if (cert.isEmpty() || proof.isEmpty() || next == null) {
            return Optional.empty();
        }
        BlockHeader header = chain.blockHeader(height).orElseThrow();
        return Optional.of(ValidatorSetChange.of(header, cert.get(), new StateProof(header.stateRoot(), ValidatorSet.STATE_KEY,
                next.encode(), TrieProof.decode(proof.get()))));
    }

    private static byte[] encode(BlockHeader header) {
        dev.verity.core.Encoder e = new dev.verity.core.Encoder(256);
        header.encode(e);
        return e.toByteArray();
    }

    /**
     * A job's receipt ({@code receipt} module's {@link JobReceipt}): every final block holding one of its events, with
     * those events and their Merkle paths, the header and the certificate, and the validator-set changes from
     * {@code ?trustedHeight=N} (default 0, genesis) up to the last of those blocks.
     */
    private void receipt(Context ctx) {
        Hash job = RequestParams.pathHash(ctx, "id", "a job id (the hash of its SubmitJob transaction)");
        long trusted = RequestParams.queryLong(ctx, "trustedHeight", 0L);
        java.util.TreeSet<Long> heights = new java.util.TreeSet<>();
        for (var ev : chain.eventsFor(StoredEvents.JOB, job.bytes(), 0, 0, JobReceipt.MAX_BLOCKS * 8)) {
            heights.add(ev.height());
        }
        List<CertifiedBlock> blocks = new ArrayList<>();
        for (long h : heights) {
            Optional<FinalityCertificate> cert = chain.certificate(h);
            if (cert.isEmpty()) {
                break; // the blocks after a block that is not final yet are not final either
            }
            BlockHeader header = chain.blockHeader(h).orElseThrow();
            blocks.add(CertifiedBlock.of(header, cert.get(), chain.blockEvents(h), job));
        }
        if (blocks.isEmpty()) {
            throw ApiException.notFound(heights.isEmpty() ? "no events of job " + job.hex() + " on this chain"
                    : "the events of job " + job.hex() + " are not final yet (finalized height " + chain.finalizedHeight() + ")");
        }
        long last = blocks.get(blocks.size() - 1).height();
        List<ValidatorSetChange> changes = new ArrayList<>();
        for (long k : chain.validatorSetChangeHeights(trusted + 1, last)) {
            changes.add(setChange(k).orElseThrow(() -> new ApiException(404, "NOT_FINAL", "the validator-set change at block "
                    + k + " is not final yet")));
        }
        JobReceipt receipt = new JobReceipt(chain.genesis().chainId(), job, blocks, changes);
        ctx.contentType("application/octet-stream");
        ctx.result(receipt.encode());
    }

    /**
     * This node's state at its head, for a validator catching up: the head block and every state row, streamed. The
     * receiver trusts none of it: it checks the block against a finality certificate and the rows against its root.
     */
    private void snapshot(Context ctx) throws java.io.IOException {
        if (chain.height() < 1) {
            throw ApiException.notFound("the chain has no block yet: nothing to snapshot");
        }
        ctx.contentType("application/octet-stream");
        ctx.header("Content-Disposition", "attachment; filename=\"verity-snapshot.bin\"");
        chain.writeSnapshot(ctx.outputStream());
    }

    private void certificate(Context ctx) {
        long height = RequestParams.pathLong(ctx, "height", 1, "a block height");
        if (height > chain.height()) {
            throw ApiException.notFound("no block at height " + height + " on this chain; it is at height " + chain.height());
        }
        chain.requireRetained(height, "block " + height + " was pruned");
        FinalityCertificate cert = chain.certificate(height).orElseThrow(() -> new ApiException(404, "NOT_FINAL",
                "block " + height + " is not final yet: validators holding more than two thirds of the stake have not signed "
                        + "it (finalized height " + chain.finalizedHeight() + ")"));
        ValidatorSet set = chain.signingSet(height).orElseThrow(() -> ApiException.notFound("the validator set of block "
                + height + " is not kept here"));
        long signed = 0;
        List<Map<String, Object>> signers = new ArrayList<>();
        for (FinalityCertificate.Signer s : cert.signers()) {
            long stake = set.stakeOf(s.validator());
            signed += stake;
            signers.add(Map.of("validator", s.validator().hex(), "stake", stake, "signature", s.signature().hex()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("height", height);
        out.put("blockHash", cert.vote().blockHash().hex());
        out.put("stateRoot", cert.vote().stateRoot().hex());
        out.put("validatorSetHash", cert.vote().validatorSetHash().hex());
        out.put("signedStake", signed);
        out.put("totalStake", set.totalStake());
        out.put("signers", signers);
        out.put("certificate", Bytes.hex(cert.encode()));
        ctx.json(out);
    }

    /**
     * The set the state after block {@code height} holds (it signs the next block), as a trust document whose
     * {@code height} is that block: the head's without a query, an earlier block's with {@code ?height=H} (0: genesis).
     */
    private void validators(Context ctx) {
        long head = chain.height();
        long height = RequestParams.queryLong(ctx, "height", head);
        if (height > head) {
            throw ApiException.notFound("no block at height " + height + " on this chain; it is at height " + head);
        }
        ValidatorSet set = height == head ? chain.currentValidatorSet() : chain.signingSet(height + 1).orElseThrow(
                () -> ApiException.notFound("the validator set after block " + height + " is not kept here"));
        ctx.json(trustDocument(chain.genesis().chainId(), height, set));
    }

    /** The trust-file form of a set: what {@code verity validators --json} prints and {@code --trust} reads. */
    static Map<String, Object> trustDocument(String chainId, long height, ValidatorSet set) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("chainId", chainId);
        out.put("height", height);
        out.put("validatorSetHash", set.hash().hex());
        out.put("validatorSet", Bytes.hex(set.encode()));
        out.put("totalStake", set.totalStake());
        List<Map<String, Object>> members = new ArrayList<>();
        for (ValidatorInfo v : set.members()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", v.key().hex());
            m.put("stake", v.stake());
            m.put("peerAddress", v.peerAddress());
            m.put("apiUrl", v.apiUrl());
            members.add(m);
        }
        out.put("validators", members);
        return out;
    }
}
