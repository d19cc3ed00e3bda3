package dev.berth.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One line of a progress stream (pull, push, load, import, build), as dockerd's jsonmessage writes
 * it. Errors after the 200 header arrive in-band with {@code error} and {@code errorDetail} set.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JsonMessage(
        @JsonProperty("stream") String stream,
        @JsonProperty("status") String status,
        @JsonProperty("id") String id,
        @JsonProperty("progress") String progress,
        @JsonProperty("progressDetail") ProgressDetail progressDetail,
        @JsonProperty("aux") Object aux,
        @JsonProperty("errorDetail") ErrorDetail errorDetail,
        @JsonProperty("error") String error) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProgressDetail(@JsonProperty("current") Long current, @JsonProperty("total") Long total) {}

    public record ErrorDetail(@JsonProperty("message") String message) {}

    public static JsonMessage stream(String text) {
        return new JsonMessage(text, null, null, null, null, null, null, null);
    }

    public static JsonMessage status(String id, String status) {
        return new JsonMessage(null, status, id, null, null, null, null, null);
    }

    public static JsonMessage progress(String id, String status, long current, long total, String bar) {
        return new JsonMessage(null, status, id, bar, new ProgressDetail(current, total), null, null, null);
    }

    public static JsonMessage aux(Object aux) {
        return new JsonMessage(null, null, null, null, null, aux, null, null);
    }

    public static JsonMessage error(String message) {
        return new JsonMessage(null, null, null, null, null, null, new ErrorDetail(message), message);
    }
}
