# Roboflare OTA agent for the Flex robot OS (oe-core). Cannot be built in this repository's CI; checked by
# packaging/check-recipes. The agent is one self-contained jar: build it with `mvn -pl agent -am package` and put
# agent/target/roboflare-agent.jar next to this recipe (files/), or point SRC_URI at a release download.
SUMMARY = "Roboflare OTA agent: applies app deployments from the Roboflare control plane"
HOMEPAGE = "https://github.com/roboflare/roboflare"
# Apache-2.0 for the agent and its bundled jars; the checksum is of the LICENSE file in the repository root
LICENSE = "Apache-2.0"
LIC_FILES_CHKSUM = "file://LICENSE;md5=3b83ef96387f14655fc854ddc3c6bd57"

# the prebuilt jar, the unit and the config file; ${S} is where they land
SRC_URI = "file://roboflare-agent.jar \
           file://make-cds-archive \
           file://roboflare-agent.service \
           file://agent.conf \
           file://LICENSE"
S = "${WORKDIR}"

# systemd: installs and enables the unit in the image (SYSTEMD_AUTO_ENABLE); useradd: the roboflare user/group
inherit systemd useradd allarch
SYSTEMD_SERVICE:${PN} = "roboflare-agent.service"
SYSTEMD_AUTO_ENABLE:${PN} = "enable"
USERADD_PACKAGES = "${PN}"
GROUPADD_PARAM:${PN} = "--system roboflare"
USERADD_PARAM:${PN} = "--system --gid roboflare --home-dir /var/lib/roboflare-agent --no-create-home \
                       --shell /sbin/nologin roboflare"

# a Java 17 runtime at /usr/bin/java (meta-java's openjdk-17 or a vendor JRE) and setsid from util-linux
RDEPENDS:${PN} = "openjdk-17-jre util-linux-setsid"

# nothing to compile: the jar is built by Maven outside bitbake
do_configure[noexec] = "1"
do_compile[noexec] = "1"

do_install() {
    # the paths the unit's ExecStart and --config expect
    install -d ${D}${datadir}/roboflare-agent ${D}${sysconfdir}/roboflare ${D}${systemd_system_unitdir}
    install -m 0644 ${S}/roboflare-agent.jar ${D}${datadir}/roboflare-agent/roboflare-agent.jar
    install -d ${D}${nonarch_libdir}/roboflare-agent
    install -m 0755 ${S}/make-cds-archive ${D}${nonarch_libdir}/roboflare-agent/make-cds-archive
    install -m 0644 ${S}/roboflare-agent.service ${D}${systemd_system_unitdir}/roboflare-agent.service
    install -m 0644 ${S}/agent.conf ${D}${sysconfdir}/roboflare/agent.conf
    # the state dir is made by systemd (StateDirectory=) on first start; nothing to install for it
}

FILES:${PN} = "${datadir}/roboflare-agent ${nonarch_libdir}/roboflare-agent ${sysconfdir}/roboflare \
               ${systemd_system_unitdir}/roboflare-agent.service"

# the agent's class-data sharing archive, made on the robot (it needs the target's JVM) at first boot, before
# the unit starts; the unit's ExecStartPre makes it again after a JDK or agent upgrade
pkg_postinst_ontarget:${PN}() {
    ${nonarch_libdir}/roboflare-agent/make-cds-archive || true
}
# kept over package upgrades when changed on the robot (like a Debian conffile)
CONFFILES:${PN} = "${sysconfdir}/roboflare/agent.conf"
