# Roboflare A/B boot script for U-Boot (OT-2: ot2part, Flex: root_part). Build it into the boot partition with
#   sed s/@SLOTVAR@/ot2part/ uboot-ab.cmd > boot.cmd && mkimage -A arm -T script -C none -n roboflare-ab -d boot.cmd boot.scr
# The agent (full_image_ab) writes, in one fw_setenv: <slot variable>=<new slot> upgrade_available=1 bootcount=0,
# and reboots. This script counts the new slot's boots; past bootlimit it boots the other slot again and clears
# upgrade_available. The agent then sees the old slot running after the reboot it asked for and reports
# rolled_back "the new OS did not boot". When the new OS's app survives the watch window the agent writes
# upgrade_available=0 (commit) and the counting stops.
#
# @SLOTVAR@ is the slot variable: the recipe substitutes it (sed 's/@SLOTVAR@/ot2part/' for the OT-2,
# root_part for the Flex) before mkimage; U-Boot's hush has no indirect variables. Do not also enable U-Boot's own
# CONFIG_BOOTCOUNT_LIMIT: it would count every boot a second time.
# Set by the board's environment before this script runs:
#   roboflare_boot_slot a command that boots slot ${@SLOTVAR@} with ${bootargs}
#                       (loads kernel and device tree from mmc 0:${@SLOTVAR@} and runs bootz/booti)
#   roboflare_root      root= prefix of the slots' devices (default /dev/mmcblk0p)

if test -z "${roboflare_root}"; then setenv roboflare_root /dev/mmcblk0p; fi
if test -z "${bootlimit}"; then setenv bootlimit 3; fi
if test -z "${@SLOTVAR@}"; then setenv @SLOTVAR@ 2; fi

if test "${upgrade_available}" = "1"; then
    if test -z "${bootcount}"; then setenv bootcount 0; fi
    setexpr bootcount ${bootcount} + 1
    if test ${bootcount} -gt ${bootlimit}; then
        echo "roboflare: slot ${@SLOTVAR@} did not come up in ${bootlimit} boots; booting the other slot"
        if test "${@SLOTVAR@}" = "2"; then setenv @SLOTVAR@ 3; else setenv @SLOTVAR@ 2; fi
        setenv upgrade_available 0
        setenv bootcount 0
    fi
    saveenv
fi

setenv bootargs "${bootargs} root=${roboflare_root}${@SLOTVAR@} rootwait"
echo "roboflare: booting slot ${@SLOTVAR@} (upgrade_available=${upgrade_available} bootcount=${bootcount})"
run roboflare_boot_slot
