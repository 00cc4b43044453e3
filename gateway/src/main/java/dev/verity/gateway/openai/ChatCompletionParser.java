package dev.verity.gateway.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verity.gateway.template.ChatMessage;
import dev.verity.gateway.template.ChatRole;
import java.util.ArrayList;
import java.util.List;

/** Reads a {@code POST /v1/chat/completions} body as OpenAI's API reference defines it, for text-only chat. */
public final class ChatCompletionParser {
    private static final String NO_TOOLS = "this gateway serves text chat; tools and function calls are not supported";
    private static final List<CommonParameters.Unsupported> UNSUPPORTED = List.of(
            new CommonParameters.Unsupported("tools", CommonParameters.EMPTY, NO_TOOLS),
            new CommonParameters.Unsupported("functions", CommonParameters.EMPTY, NO_TOOLS),
            new CommonParameters.Unsupported("tool_choice", v -> v.isTextual() && v.asText().equals("none"), NO_TOOLS),
            new CommonParameters.Unsupported("function_call", v -> v.isTextual() && v.asText().equals("none"), NO_TOOLS),
            new CommonParameters.Unsupported("logprobs", CommonParameters.FALSE, "nodes return tokens, not their log probabilities"),
            new CommonParameters.Unsupported("top_logprobs", CommonParameters.NEVER, "nodes return tokens, not their log probabilities"),
            new CommonParameters.Unsupported("logit_bias", CommonParameters.EMPTY, "a job's sampling has no logit bias"),
            new CommonParameters.Unsupported("presence_penalty", CommonParameters.ZERO, "a job's sampling has no penalties"),
            new CommonParameters.Unsupported("frequency_penalty", CommonParameters.ZERO, "a job's sampling has no penalties"),
            new CommonParameters.Unsupported("response_format",
                    v -> v.isObject() && v.path("type").asText("").equals("text"), "only plain text answers are supported"),
            new CommonParameters.Unsupported("audio", CommonParameters.NEVER, "only text is supported"),
            new CommonParameters.Unsupported("modalities",
                    v -> v.isArray() && v.size() == 1 && v.get(0).asText("").equals("text"), "only text is supported"),
            new CommonParameters.Unsupported("prediction", CommonParameters.NEVER, "predicted outputs are not supported"));

    private ChatCompletionParser() {
    }

    public static ChatCompletionRequest parse(RequestFields f) {
        String model = f.requiredString("model");
        List<ChatMessage> messages = messages(f);
        CommonParameters.refuseUnsupported(f, UNSUPPORTED);
        CommonParameters.requireOneChoice(f);
        SamplingOptions sampling = CommonParameters.sampling(f, List.of("max_completion_tokens", "max_tokens"));
        return new ChatCompletionRequest(model, messages, sampling, CommonParameters.streaming(f));
    }

    private static List<ChatMessage> messages(RequestFields f) {
        JsonNode list = f.get("messages");
        if (list == null) {
            throw OpenAiException.invalid("messages", "missing_required_parameter", "Missing required parameter: 'messages'.");
        }
        if (!list.isArray()) {
            throw RequestFields.wrongType("messages", "an array", list);
        }
        if (list.isEmpty()) {
            throw OpenAiException.invalid("messages", "empty_array", "Invalid 'messages': empty array. Expected an array "
                    + "with minimum length 1, but got an empty array instead.");
        }
        List<ChatMessage> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            out.add(message(list.get(i), "messages[" + i + "]"));
        }
        return out;
    }

    private static ChatMessage message(JsonNode m, String param) {
        if (!m.isObject()) {
            throw RequestFields.wrongType(param, "an object", m);
        }
        ChatRole role = role(m.get("role"), param + ".role");
        JsonNode toolCalls = m.get("tool_calls");
        if (toolCalls != null && !toolCalls.isNull() && !toolCalls.isEmpty()) {
            throw OpenAiException.invalid(param + ".tool_calls", "unsupported_parameter", "Unsupported parameter: '"
                    + param + ".tool_calls': " + NO_TOOLS + ".");
        }
        JsonNode content = m.get("content");
        if (content == null || content.isNull()) {
            if (role == ChatRole.ASSISTANT) {
                return new ChatMessage(role, ""); // an assistant turn may be empty
            }
            throw OpenAiException.invalid(param + ".content", "missing_required_parameter", "Missing required parameter: '"
                    + param + ".content'.");
        }
        return new ChatMessage(role, content(content, param + ".content"));
    }

    private static ChatRole role(JsonNode role, String param) {
        if (role == null || role.isNull()) {
            throw OpenAiException.invalid(param, "missing_required_parameter", "Missing required parameter: '" + param + "'.");
        }
        if (!role.isTextual()) {
            throw RequestFields.wrongType(param, "a string", role);
        }
        return switch (role.asText()) {
            case "system", "developer" -> ChatRole.SYSTEM; // "developer" is OpenAI's newer name for system instructions
            case "user" -> ChatRole.USER;
            case "assistant" -> ChatRole.ASSISTANT;
            case "tool", "function" -> throw OpenAiException.invalid(param, "unsupported_value", "Invalid value for '"
                    + param + "': '" + role.asText() + "' messages are not supported; " + NO_TOOLS + ".");
            default -> throw OpenAiException.invalid(param, "invalid_value", "Invalid value: '" + role.asText()
                    + "'. Supported values are: 'system', 'developer', 'user' and 'assistant'.");
        };
    }

    /** A string, or text parts joined with nothing between them (the parts of one message are one text). */
    private static String content(JsonNode content, String param) {
        if (content.isTextual()) {
            return content.asText();
        }
        if (!content.isArray()) {
            throw RequestFields.wrongType(param, "a string or an array of content parts", content);
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String partParam = param + "[" + i + "]";
            if (!part.isObject()) {
                throw RequestFields.wrongType(partParam, "an object", part);
            }
            JsonNode type = part.get("type");
            if (type == null || !type.isTextual()) {
                throw OpenAiException.invalid(partParam + ".type", "missing_required_parameter", "Missing required "
                        + "parameter: '" + partParam + ".type'.");
            }
            if (!type.asText().equals("text")) {
                throw OpenAiException.invalid(partParam + ".type", "unsupported_value", "Invalid value: '"
                        + type.asText() + "'. The Verity gateway serves text models: the only supported content part "
                        + "type is 'text'.");
            }
            JsonNode partText = part.get("text");
            if (partText == null || partText.isNull()) {
                throw OpenAiException.invalid(partParam + ".text", "missing_required_parameter", "Missing required "
                        + "parameter: '" + partParam + ".text'.");
            }
            if (!partText.isTextual()) {
                throw RequestFields.wrongType(partParam + ".text", "a string", partText);
            }
            text.append(partText.asText());
        }
        return text.toString();
    }
}
