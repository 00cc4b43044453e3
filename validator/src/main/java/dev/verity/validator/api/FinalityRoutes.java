package dev.verity.validator.api;

import dev.verity.core.Bytes;
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
 * that signs a height ({@code /v1/validators[?height=H]}), in the trust-file form {@code verity receipt verify --trust}
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
        long height = height(ctx.pathParam("height"), "path parameter 'height'");
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

    private void validators(Context ctx) {
        String h = ctx.queryParam("height");
        long height;
        ValidatorSet set;
        if (h == null) {
            height = chain.height() + 1;
            set = chain.currentValidatorSet();
        } else {
            height = height(h, "query parameter 'height'");
            Optional<ValidatorSet> at = height == chain.height() + 1 ? Optional.of(chain.currentValidatorSet())
                    : chain.signingSet(height);
            set = at.orElseThrow(() -> ApiException.notFound("the validator set that signs height " + height
                    + " is not kept here (the chain is at height " + chain.height() + ")"));
        }
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

    private static long height(String text, String what) {
        try {
            long h = Long.parseLong(text);
            if (h >= 1) {
                return h;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest(what + " must be a block height (a whole number >= 1), got '" + RequestParams.shorten(text) + "'");
    }
}
