package dev.verity.gateway;

import dev.verity.gateway.backend.GenerationOutcome;
import dev.verity.gateway.generation.AnswerText;
import dev.verity.gateway.openai.OpenAiException;
import dev.verity.gateway.openai.VerityInfo;

/** A non-streamed answer: waits for the outcome, checks it against what was streamed, and writes one object. */
final class WholeAnswer {

    /** The answer's body and the outcome behind it. */
    record Written(Object body, GenerationOutcome outcome) {
    }

    private WholeAnswer() {
    }

    /** Waits for {@code job} to end; throws the {@link OpenAiException} to answer when it fails. */
    static Written run(GenerationJob job, PreparedAnswer answer) throws InterruptedException {
        TokenLog streamed = new TokenLog();
        while (true) {
            switch (job.next()) {
                case GenerationJob.Started ignored -> {
                }
                case GenerationJob.Token t -> streamed.add(t.id());
                case GenerationJob.Failed f -> throw BackendErrors.toOpenAi(f.cause());
                case GenerationJob.Done d -> {
                    return write(answer, streamed, d.outcome());
                }
            }
        }
    }

    private static Written write(PreparedAnswer answer, TokenLog streamed, GenerationOutcome outcome) {
        OpenAiException mismatch = ResultCheck.mismatch(streamed.ids(), streamed.size(), outcome);
        if (mismatch != null) {
            throw mismatch;
        }
        AnswerText text = answer.plan().newAnswerText();
        StringBuilder content = new StringBuilder();
        for (int id : outcome.result().tokens()) {
            content.append(text.accept(id));
        }
        content.append(text.finish());
        Object body = answer.format().whole(answer.who(), content.toString(), PreparedAnswer.finishReason(text, outcome),
                answer.usage(outcome), VerityInfo.of(outcome));
        return new Written(body, outcome);
    }
}
