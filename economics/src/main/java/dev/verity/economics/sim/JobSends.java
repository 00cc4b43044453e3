package dev.verity.economics.sim;

import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.ledger.rules.FeeMarket;
import dev.verity.ledger.rules.Pricing;
import dev.verity.ledger.state.LedgerState;
import dev.verity.ledger.state.ModelRecord;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The jobs clients send in one block, prepared as soon as the block before has ended (its base price decides who is
 * priced out and what the tips are), so that they are signed while the rest of the block before is worked out. A
 * client sends its jobs of the block in one transaction: one job as {@code SubmitJob}, several as {@code SubmitJobs}.
 */
final class JobSends {
    /** A job a client sends: its arrival and its payload. */
    record Job(Clients.Arrival arrival, Payload.SubmitJob payload) {}

    /** One client transaction, signed ahead. */
    record Tx(PrivateKey sender, List<Job> jobs, Signer.Pending pending) {
        /** The id of job {@code i} of this transaction once it is {@code tx}. */
        Hash jobId(SignedTransaction tx, int i) {
            return jobs.size() == 1 ? tx.hash() : Payload.SubmitJobs.jobId(tx.hash(), i);
        }
    }

    /** A block's demand: every arrival, those priced out, and the transactions of the others. */
    record Block(int arrivals, List<Clients.Arrival> pricedOut, List<Tx> txs) {}

    private JobSends() {}

    /** Block {@code h}'s demand, its transactions handed to {@code signer}; {@code nonce} gives an account's nonce now. */
    static Block prepare(long h, List<Clients.Arrival> arriving, Clients clients, SimProgram program, LedgerState state,
                         Signer signer, ToLongFunction<PublicKey> nonce) {
        Params p = state.params();
        ModelRecord model = state.models.get(SimProgram.MODEL);
        long basePrice = FeeMarket.basePrice(state);
        List<Clients.Arrival> pricedOut = new ArrayList<>();
        Map<PrivateKey, List<Job>> bySender = new LinkedHashMap<>();
        for (Clients.Arrival a : arriving) {
            PrivateKey sender = clients.nextSender();
            if (a.limitPrice() < basePrice) {
                pricedOut.add(a);
                continue;
            }
            long tip = a.tipShare() == 0 ? 0 : Math.max(1, Math.round(basePrice * a.tipShare()));
            long maxFee = Pricing.minCharge(p, model.computeUnits(), a.mode(), a.limitPrice() + tip);
            for (VerificationMode m : a.fallbacks()) {
                maxFee = Math.max(maxFee, Pricing.minCharge(p, model.computeUnits(), m, a.limitPrice() + tip));
            }
            bySender.computeIfAbsent(sender, k -> new ArrayList<>()).add(new Job(a, new Payload.SubmitJob(SimProgram.MODEL,
                    program.input(a.input()), a.mode(), a.fallbacks(), maxFee, a.deadlineBlocks(), tip)));
        }
        List<Tx> txs = new ArrayList<>();
        for (Map.Entry<PrivateKey, List<Job>> e : bySender.entrySet()) {
            PrivateKey sender = e.getKey();
            long next = nonce.applyAsLong(sender.publicKey());
            List<Job> jobs = e.getValue();
            for (int from = 0; from < jobs.size(); from += Payload.SubmitJobs.MAX_JOBS) {
                List<Job> chunk = List.copyOf(jobs.subList(from, Math.min(jobs.size(), from + Payload.SubmitJobs.MAX_JOBS)));
                txs.add(new Tx(sender, chunk, signer.sign(h, sender, next++, () -> payload(chunk))));
            }
        }
        return new Block(arriving.size(), pricedOut, txs);
    }

    private static Payload payload(List<Job> jobs) {
        return jobs.size() == 1 ? jobs.getFirst().payload() : new Payload.SubmitJobs(jobs.stream().map(Job::payload).toList());
    }
}
