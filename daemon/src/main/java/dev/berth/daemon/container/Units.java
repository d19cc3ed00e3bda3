package dev.berth.daemon.container;

/** go-units parsing and Docker's human durations. Pure utility. */
public final class Units {
    private Units() {}

    /** units.RAMInBytes ({@link dev.berth.common.HumanUnits#ramInBytes}); -1 when unparsable. */
    public static long ramInBytes(String s) {
        try {
            return dev.berth.common.HumanUnits.ramInBytes(s);
        } catch (dev.berth.common.BerthException e) {
            return -1;
        }
    }
}
