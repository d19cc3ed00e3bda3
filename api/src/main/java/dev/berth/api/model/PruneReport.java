package dev.berth.api.model;

import java.util.List;

/**
 * What a prune removed and how many bytes it really freed. The router renders it under the
 * resource's field name ({@code ContainersDeleted}, {@code ImagesDeleted}, {@code VolumesDeleted},
 * {@code NetworksDeleted}) with {@code SpaceReclaimed}.
 *
 * @param deleted ids or names removed (images: as delete items)
 */
public record PruneReport(List<Object> deleted, long spaceReclaimed) {}
