package dev.berth.registry;

import dev.berth.common.Digest;
import dev.berth.http.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code /v2/<name>/blobs/uploads/}: POST (start; monolithic with {@code ?digest=}; cross-repository
 * mount with {@code ?mount=&from=}), PATCH (append, {@code Content-Range} checked, 416 when out of
 * order), PUT (finish with {@code ?digest=}, optional last chunk; content verified), GET (status),
 * DELETE (cancel).
 */
final class UploadHandlers {
    private final RegistryStorage storage;

    UploadHandlers(RegistryStorage storage) {
        this.storage = storage;
    }

    void start(HttpExchange ex) throws IOException {
        String name = Names.checkName(ex.pathParam("name"));
        String mount = ex.query("mount");
        String from = ex.query("from");
        if (mount != null && !mount.isEmpty()) {
            Digest d = BlobHandlers.digest(mount);
            AccessControl.Access access = AccessControl.CURRENT.orElse(AccessControl.Access.all());
            boolean source = from != null && !from.isEmpty()
                    ? access.canPull(Names.checkName(from)) && storage.isLayerLinked(from, d)
                    : access.canPull(name) && storage.blobExists(d); // OCI 1.1: mount without from (content addressed)
            if (source) {
                storage.linkLayer(name, d);
                ex.setHeader("Location", "/v2/" + name + "/blobs/" + d);
                ex.setHeader("Docker-Content-Digest", d.toString());
                ex.respond(201);
                return;
            }
            // Fall through: an ordinary upload session (the client then uploads).
        }
        String digest = ex.query("digest");
        if (digest != null && !digest.isEmpty()) {
            Digest d = BlobHandlers.digest(digest);
            Path tmp = storage.tempFile();
            try {
                try (InputStream in = ex.body(); OutputStream out = Files.newOutputStream(tmp)) {
                    in.transferTo(out);
                }
                checkLength(ex, Files.size(tmp));
                if (!storage.commitBlob(tmp, d)) {
                    throw new RegistryError(ErrorCode.DIGEST_INVALID, d.toString());
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            storage.linkLayer(name, d);
            ex.setHeader("Location", "/v2/" + name + "/blobs/" + d);
            ex.setHeader("Docker-Content-Digest", d.toString());
            ex.respond(201);
            return;
        }
        String uuid = storage.newUpload(name);
        sessionHeaders(ex, name, uuid, 0);
        ex.respond(202);
    }

    private static void checkLength(HttpExchange ex, long got) {
        String cl = ex.header("Content-Length");
        if (cl != null && !cl.isBlank()) {
            try {
                if (Long.parseLong(cl.trim()) != got) {
                    throw new RegistryError(ErrorCode.SIZE_INVALID, "got " + got + " bytes, Content-Length " + cl);
                }
            } catch (NumberFormatException e) {
                throw new RegistryError(ErrorCode.SIZE_INVALID, cl);
            }
        }
    }

    private static void sessionHeaders(HttpExchange ex, String name, String uuid, long size) {
        ex.setHeader("Location", "/v2/" + name + "/blobs/uploads/" + uuid);
        ex.setHeader("Range", "0-" + Math.max(0, size - 1));
        ex.setHeader("Docker-Upload-UUID", uuid);
    }

    private String session(HttpExchange ex, String name) {
        String uuid = ex.pathParam("uuid");
        if (!storage.uploadExists(name, uuid)) {
            throw new RegistryError(ErrorCode.BLOB_UPLOAD_UNKNOWN, uuid);
        }
        return uuid;
    }

    void patch(HttpExchange ex) throws IOException {
        String name = Names.checkName(ex.pathParam("name"));
        String uuid = session(ex, name);
        long size = storage.uploadSize(name, uuid);
        String cr = ex.header("Content-Range");
        if (cr != null && !cr.isBlank()) {
            String v = cr.trim();
            if (v.startsWith("bytes")) {
                v = v.substring(5).replace("=", " ").trim();
            }
            int dash = v.indexOf('-');
            long start;
            try {
                start = Long.parseLong(v.substring(0, dash < 0 ? v.length() : dash).trim());
            } catch (NumberFormatException e) {
                throw new RegistryError(ErrorCode.RANGE_INVALID, 416, "invalid content range", cr);
            }
            if (start != size) {
                sessionHeaders(ex, name, uuid, size);
                throw new RegistryError(ErrorCode.RANGE_INVALID, 416, "chunk out of order", "upload has " + size + " bytes, chunk starts at " + start);
            }
        }
        long before = size;
        size = storage.appendUpload(name, uuid, ex.body());
        if (cr != null && ex.header("Content-Length") != null) {
            checkLength(ex, size - before);
        }
        sessionHeaders(ex, name, uuid, size);
        ex.respond(202);
    }

    void finish(HttpExchange ex) throws IOException {
        String name = Names.checkName(ex.pathParam("name"));
        String uuid = session(ex, name);
        Digest d = BlobHandlers.digest(ex.query("digest"));
        storage.appendUpload(name, uuid, ex.body());
        if (!storage.completeUpload(name, uuid, d)) {
            storage.deleteUpload(name, uuid);
            throw new RegistryError(ErrorCode.DIGEST_INVALID, d.toString());
        }
        ex.setHeader("Location", "/v2/" + name + "/blobs/" + d);
        ex.setHeader("Docker-Content-Digest", d.toString());
        ex.respond(201);
    }

    void status(HttpExchange ex) throws IOException {
        String name = Names.checkName(ex.pathParam("name"));
        String uuid = session(ex, name);
        sessionHeaders(ex, name, uuid, storage.uploadSize(name, uuid));
        ex.respond(204);
    }

    void cancel(HttpExchange ex) throws IOException {
        String name = Names.checkName(ex.pathParam("name"));
        String uuid = session(ex, name);
        storage.deleteUpload(name, uuid);
        ex.respond(204);
    }
}
