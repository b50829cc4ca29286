package dev.roboflare.controlplane.trust;

import dev.roboflare.controlplane.RequestRejected;
import dev.roboflare.controlplane.storage.ArtifactRows;
import dev.roboflare.controlplane.storage.OrganisationRows;
import dev.roboflare.controlplane.storage.Transactor;
import dev.roboflare.protocol.ByteSizes;
import dev.roboflare.protocol.TrustApi.CreateOrganisation;
import dev.roboflare.protocol.TrustApi.Organisation;
import dev.roboflare.protocol.TrustApi.SetQuota;
import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Organisations (admin token only). Names are short lower-case slugs because they appear in CLI flags, logs and
 * token listings; there is no rename or delete, so a name always means the same rows.
 */
public final class Organisations {
    private static final Logger log = LoggerFactory.getLogger(Organisations.class);
    /** The built-in organisation: DATA/operator-token's, and the owner of every row from before V21. */
    public static final String DEFAULT = "default";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final Transactor db;
    private final Clock clock;
    private final OrganisationRows organisations = new OrganisationRows();
    private final ArtifactRows artifacts = new ArtifactRows();

    public Organisations(Transactor db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public Organisation create(CreateOrganisation request) {
        String name = request == null || request.name() == null ? "" : request.name().strip();
        if (!NAME.matcher(name).matches()) {
            throw RequestRejected.badRequest("organisation name '" + name + "' must be 1 to 63 lower-case letters, "
                    + "digits and '-', starting with a letter or digit, e.g. {\"name\": \"acme-lab\"}");
        }
        Long quota = quota(request.quota());
        Organisation created = new Organisation(name, clock.instant(), quota, 0);
        db.inTransaction(c -> {
            if (!organisations.insert(c, name, created.createdAt(), quota)) {
                throw RequestRejected.conflict("organisation '" + name + "' already exists; issue a token for it "
                        + "with POST /api/operator-tokens {\"name\": \"...\", \"org\": \"" + name + "\"}");
            }
            return null;
        });
        log.info("organisation {} created (quota {})", name, quota == null ? "none" : ByteSizes.format(quota));
        return created;
    }

    /**
     * Sets or (null) clears the quota; stored artifacts stay even when they are over it, new uploads get 413 until
     * the usage is below it again.
     */
    public Organisation setQuota(String name, SetQuota request) {
        Long quota = quota(request == null ? null : request.quota());
        Organisation updated = db.inTransaction(c -> {
            if (!organisations.setQuota(c, name, quota)) {
                throw RequestRejected.notFound("no organisation '" + name + "'; list them with GET /api/orgs");
            }
            OrganisationRows.OrganisationRow row = organisations.listOldestFirst(c).stream()
                    .filter(o -> o.name().equals(name)).findFirst().orElseThrow();
            return new Organisation(name, row.createdAt(), quota, artifacts.bytesUsed(c, name));
        });
        log.info("organisation {} quota set to {}", name, quota == null ? "none" : ByteSizes.format(quota));
        return updated;
    }

    private static Long quota(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return ByteSizes.parse(text);
        } catch (IllegalArgumentException e) {
            throw RequestRejected.badRequest("quota: " + e.getMessage() + ", e.g. {\"name\": \"acme-lab\", "
                    + "\"quota\": \"50G\"}");
        }
    }

    public List<Organisation> list() {
        return db.read(c -> {
            List<Organisation> out = new java.util.ArrayList<>();
            for (OrganisationRows.OrganisationRow o : organisations.listOldestFirst(c)) {
                out.add(new Organisation(o.name(), o.createdAt(), o.quotaBytes(), artifacts.bytesUsed(c, o.name())));
            }
            return out;
        });
    }
}
