package dev.berth.store;

/**
 * Metadata of one snapshot.
 *
 * @param key the key (active/view) or the committed name
 * @param id the short numeric id naming its directory (short, so overlay option strings stay small)
 * @param parent the committed parent's name, or null
 * @param kind active, view or committed
 * @param created creation time in epoch milliseconds
 */
public record SnapshotInfo(String key, String id, String parent, Kind kind, long created) {
    /** What a snapshot is. */
    public enum Kind { ACTIVE, VIEW, COMMITTED }
}
