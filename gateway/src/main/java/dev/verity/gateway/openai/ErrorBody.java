package dev.verity.gateway.openai;

/** OpenAI's error object: {@code {"error": {"message", "type", "param", "code"}}}, nulls written as null. */
public record ErrorBody(Detail error) {

    public record Detail(String message, String type, String param, String code) {
    }
}
