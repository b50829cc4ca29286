################################################################################
#
# roboflare-agent
#
# The agent is one self-contained jar built by Maven outside Buildroot; this package only installs it with its
# unit and config file. Checked (not built) by packaging/check-recipes.
#
################################################################################

# the release whose jar and sources are downloaded
ROBOFLARE_AGENT_VERSION = 0.1.0
ROBOFLARE_AGENT_SITE = https://github.com/roboflare/roboflare/releases/download/v$(ROBOFLARE_AGENT_VERSION)
ROBOFLARE_AGENT_SOURCE = roboflare-agent-$(ROBOFLARE_AGENT_VERSION).tar.gz
ROBOFLARE_AGENT_LICENSE = Apache-2.0
ROBOFLARE_AGENT_LICENSE_FILES = LICENSE
# a Java runtime on the target; nothing is compiled for it
ROBOFLARE_AGENT_DEPENDENCIES = openjdk

# the roboflare system user and group (the unit runs as root by default, see packaging/deb/README.Debian)
define ROBOFLARE_AGENT_USERS
	roboflare -1 roboflare -1 * /var/lib/roboflare-agent /bin/false - Roboflare OTA agent
endef

# the paths the unit's ExecStart and --config expect; the state dir is made by systemd (StateDirectory=).
# make-cds-archive makes the agent's class-data sharing archive with the target's JVM, so not at build time:
# Buildroot has no on-target postinst, and the unit's ExecStartPre runs it before the first start.
define ROBOFLARE_AGENT_INSTALL_TARGET_CMDS
	$(INSTALL) -D -m 0644 $(@D)/roboflare-agent.jar \
		$(TARGET_DIR)/usr/share/roboflare-agent/roboflare-agent.jar
	$(INSTALL) -D -m 0644 $(@D)/agent.conf $(TARGET_DIR)/etc/roboflare/agent.conf
	$(INSTALL) -D -m 0755 $(@D)/make-cds-archive \
		$(TARGET_DIR)/usr/lib/roboflare-agent/make-cds-archive
endef

# Buildroot calls this when BR2_INIT_SYSTEMD is set; the unit is enabled through the preset below
define ROBOFLARE_AGENT_INSTALL_INIT_SYSTEMD
	$(INSTALL) -D -m 0644 $(@D)/roboflare-agent.service \
		$(TARGET_DIR)/usr/lib/systemd/system/roboflare-agent.service
	$(INSTALL) -D -m 0644 /dev/null $(TARGET_DIR)/usr/lib/systemd/system-preset/50-roboflare-agent.preset
	echo "enable roboflare-agent.service" > $(TARGET_DIR)/usr/lib/systemd/system-preset/50-roboflare-agent.preset
endef

$(eval $(generic-package))
