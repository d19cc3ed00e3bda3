package dev.berth.http;

/**
 * Handles one request. Runs on its own virtual thread, so it may block (read the body, wait for a
 * backend, stream for hours). It must produce exactly one response through the exchange; if it
 * returns without one the server answers 204. Exceptions that escape before the response is
 * committed become error responses ({@link ErrorStatus}); after that the connection is aborted.
 */
@FunctionalInterface
public interface Handler {
    void handle(HttpExchange exchange) throws Exception;
}
