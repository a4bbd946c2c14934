export const id = 30;
export const ids = [30];
export const modules = {

/***/ 6030:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  GitHubSecretsClient: () => (/* reexport */ GitHubSecretsClient),
  rotate: () => (/* reexport */ rotate)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 16 modules
var core = __webpack_require__(3340);
// EXTERNAL MODULE: ./node_modules/@actions/github/lib/github.js + 22 modules
var github = __webpack_require__(2413);
// EXTERNAL MODULE: ./src/retry.ts
var retry = __webpack_require__(9809);
// EXTERNAL MODULE: ./src/secrets.ts
var secrets = __webpack_require__(7194);
// EXTERNAL MODULE: ./src/version.ts + 1 modules
var version = __webpack_require__(1013);
;// CONCATENATED MODULE: ./src/github/secrets-client.ts





/** A failed GitHub call, with the destination and what the user must do about it. */
class GitHubSecretsError extends Error {
    method;
    path;
    status;
    retryDecision;
    constructor(message, method, path, 
    /** HTTP status; undefined when no answer arrived. */
    status, retryDecision) {
        super(message);
        this.method = method;
        this.path = path;
        this.status = status;
        this.retryDecision = retryDecision;
        this.name = 'GitHubSecretsError';
    }
}
function describeDestination(destination) {
    switch (destination.kind) {
        case 'repository':
            return `repository ${destination.repository}`;
        case 'environment':
            return `environment "${destination.environment}" of ${destination.repository}`;
        case 'organization':
            return `organization ${destination.organization}`;
    }
}
/** The REST path of the destination's secrets collection (environment name URL-encoded). */
function secretsPath(destination) {
    switch (destination.kind) {
        case 'repository':
            return `/repos/${destination.repository}/actions/secrets`;
        case 'environment':
            return `/repos/${destination.repository}/environments/${encodeURIComponent(destination.environment)}/secrets`;
        case 'organization':
            return `/orgs/${destination.organization}/actions/secrets`;
    }
}
/** The body of a secret write; the same body the replay command sends. */
function secretWriteBody(sealed, access) {
    const body = {
        encrypted_value: sealed.encryptedValue,
        key_id: sealed.keyId
    };
    if (access) {
        body.visibility = access.visibility;
        if (access.visibility === 'selected') {
            body.selected_repository_ids = access.selectedRepositoryIds ?? [];
        }
    }
    return body;
}
/** GitHub's documented secondary limit on content-creating requests. */
const GITHUB_WRITES_PER_MINUTE = 80;
/** Reads public keys and writes Actions secrets through GitHub's REST API. */
class GitHubSecretsClient {
    options;
    octokit;
    retryPolicy;
    /** When recent writes were sent, oldest first, for the rolling-minute pacing. */
    writeTimes = [];
    pacingNoticeUntil = 0;
    constructor(options) {
        this.options = options;
        this.octokit = (0,github/* getOctokit */.Q)(options.token, {
            baseUrl: options.baseUrl,
            userAgent: version/* USER_AGENT */._,
            log: {
                debug: () => undefined,
                info: () => undefined,
                warn: (message) => core/* debug */.Yz(message),
                error: (message) => core/* debug */.Yz(message)
            }
        });
        this.retryPolicy = {
            maxAttempts: options.maxAttempts,
            sleep: options.sleep,
            random: options.random,
            onRetry: (0,retry/* logRetry */.zD)(options.maxAttempts)
        };
    }
    /** The REST API base URL (GITHUB_API_URL). */
    get baseUrl() {
        return this.options.baseUrl;
    }
    async getPublicKey(destination) {
        const { data } = await this.request(destination, 'GET', `${secretsPath(destination)}/public-key`);
        if (typeof data?.key_id !== 'string' || typeof data.key !== 'string') {
            throw new GitHubSecretsError(`GitHub answered the public key of ${describeDestination(destination)} without key_id and key`, 'GET', `${secretsPath(destination)}/public-key`, 200, { retry: false });
        }
        return { key_id: data.key_id, key: data.key };
    }
    /** The current visibility and selected repositories of an organization secret; undefined if it does not exist yet. */
    async getOrganizationSecretAccess(organization, name) {
        const destination = { kind: 'organization', organization };
        const path = `${secretsPath(destination)}/${name}`;
        let secret;
        try {
            secret = (await this.request(destination, 'GET', path)).data;
        }
        catch (error) {
            if (error instanceof GitHubSecretsError && error.status === 404)
                return undefined;
            throw error;
        }
        const visibility = secret.visibility ?? 'private';
        if (visibility !== 'selected')
            return { visibility };
        const ids = [];
        for (let page = 1;; page++) {
            const { data: list } = await this.request(destination, 'GET', `${path}/repositories?per_page=100&page=${page}`);
            const repositories = list.repositories ?? [];
            ids.push(...repositories.map((r) => r.id));
            if (repositories.length < 100 || ids.length >= (list.total_count ?? 0))
                break;
        }
        return { visibility, selectedRepositoryIds: ids };
    }
    /** Creates or updates the secret; `created` when GitHub answered 201. */
    async putSecret(destination, name, sealed, access) {
        const { status } = await this.request(destination, 'PUT', `${secretsPath(destination)}/${name}`, secretWriteBody(sealed, access));
        return status === 201 ? 'created' : 'updated';
    }
    async deleteSecret(destination, name) {
        await this.request(destination, 'DELETE', `${secretsPath(destination)}/${name}`);
    }
    /** One call with retries; the answer's status and parsed body. */
    request(destination, method, path, body) {
        return (0,retry/* withRetry */.bD)(async () => {
            if (method === 'PUT' || method === 'DELETE')
                await this.paceWrite();
            const started = Date.now();
            try {
                const response = await this.octokit.request(`${method} ${path}`, {
                    ...body,
                    request: { signal: AbortSignal.timeout(this.options.timeoutMs) }
                });
                core/* debug */.Yz(`GitHub ${method} ${path} -> ${response.status} (${Date.now() - started} ms)`);
                return { status: response.status, data: response.data };
            }
            catch (error) {
                throw toGitHubError(error, destination, method, path);
            }
        }, (error) => (error instanceof GitHubSecretsError ? error.retryDecision : { retry: false }), this.retryPolicy);
    }
    /**
     * Waits until a write fits under the rolling-minute limit, so that a fan-out to many
     * destinations paces itself instead of tripping GitHub's secondary limits.
     */
    async paceWrite() {
        const limit = this.options.writesPerMinute ?? GITHUB_WRITES_PER_MINUTE;
        const now = this.options.now ?? Date.now;
        for (;;) {
            const time = now();
            while (this.writeTimes.length > 0 && this.writeTimes[0] <= time - 60_000)
                this.writeTimes.shift();
            if (this.writeTimes.length < limit) {
                this.writeTimes.push(time);
                return;
            }
            const until = this.writeTimes[0] + 60_000;
            if (until > this.pacingNoticeUntil) {
                this.pacingNoticeUntil = until;
                core/* info */.pq(`Pacing secret writes under GitHub's limit of ${limit} a minute: waiting ${Math.ceil((until - time) / 1000)} s`);
            }
            await this.options.sleep(until - time);
        }
    }
}
/** Maps an Octokit failure to what the user must do, and to whether it may be retried. */
function toGitHubError(error, destination, method, path) {
    const failure = error;
    const where = describeDestination(destination);
    const request = `${method} ${path}`;
    if (!failure.response) {
        const reason = error?.name === 'TimeoutError' || error?.name === 'AbortError'
            ? 'no answer in time'
            : (0,secrets/* redact */.E)(error?.message ?? String(error));
        return new GitHubSecretsError(`${request} failed: ${reason}`, method, path, undefined, {
            retry: true
        });
    }
    const status = failure.status ?? 0;
    const headers = failure.response.headers ?? {};
    const serverMessage = typeof failure.response.data?.message === 'string'
        ? (0,secrets/* redact */.E)(failure.response.data.message.slice(0, 500))
        : '';
    const said = `${request} answered HTTP ${status}${serverMessage ? `: ${serverMessage}` : ''}`;
    const rateLimit = rateLimitDecision(status, headers, serverMessage);
    if (rateLimit) {
        return new GitHubSecretsError(`${said} (GitHub rate limit)`, method, path, status, rateLimit);
    }
    if (status >= 500) {
        return new GitHubSecretsError(said, method, path, status, { retry: true });
    }
    let advice;
    switch (status) {
        case 401:
            advice = 'GitHub rejected github-token: it is invalid, expired or revoked.';
            break;
        case 403:
            advice =
                `github-token may not write secrets of ${where}. The workflow's own GITHUB_TOKEN never can:` +
                    ' use a fine-grained personal access token or a GitHub App token with the repository permission' +
                    ' "Secrets: Read and write" (environment secrets: also "Environments: Read";' +
                    ' organization secrets: the organization permission "Secrets: Read and write").';
            break;
        case 404:
            advice = `${where} was not found, or github-token cannot see it: check the name and the token's repository or organization access.`;
            break;
        case 422:
            advice = `GitHub refused the request for ${where}.`;
            break;
        default:
            advice = `The request for ${where} failed.`;
    }
    return new GitHubSecretsError(`${said}. ${advice}`, method, path, status, { retry: false });
}
/**
 * GitHub's primary and secondary limits answer 403 or 429: honour retry-after, else wait for
 * x-ratelimit-reset when nothing remains, else wait at least a minute.
 */
function rateLimitDecision(status, headers, serverMessage) {
    if (status !== 403 && status !== 429)
        return undefined;
    const retryAfterMs = (0,retry/* parseRetryAfter */.mu)(headers['retry-after']);
    if (retryAfterMs !== undefined)
        return { retry: true, afterMs: retryAfterMs };
    if (headers['x-ratelimit-remaining'] === '0' && headers['x-ratelimit-reset']) {
        const resetMs = Number(headers['x-ratelimit-reset']) * 1000 - Date.now();
        return { retry: true, afterMs: Math.max(resetMs, 1000) };
    }
    if (status === 429 || /rate limit/i.test(serverMessage)) {
        return { retry: true, minDelayMs: 60_000 };
    }
    return undefined;
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/concurrency.ts
/**
 * Runs `task` over `items` with at most `limit` in flight, settling every one (like
 * Promise.allSettled), in the order of `items`.
 */
async function settleWithLimit(items, limit, task) {
    const results = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const index = next++;
            try {
                results[index] = { status: 'fulfilled', value: await task(items[index]) };
            }
            catch (reason) {
                results[index] = { status: 'rejected', reason };
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}

;// CONCATENATED MODULE: ./src/github/seal.ts
/**
 * Seals `value` with a libsodium sealed box for the destination's public key, base64 in the
 * ORIGINAL variant as GitHub expects. libsodium is loaded on first use only: operations that
 * store no secret never pay for it.
 */
async function sealForGitHub(value, publicKey) {
    const { default: sodium } = await __webpack_require__.e(/* import() */ 768).then(__webpack_require__.bind(__webpack_require__, 4768));
    await sodium.ready;
    const key = sodium.from_base64(publicKey.key, sodium.base64_variants.ORIGINAL);
    const sealed = sodium.crypto_box_seal(sodium.from_string(value), key);
    return {
        encryptedValue: sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL),
        keyId: publicKey.key_id
    };
}

// EXTERNAL MODULE: ./src/workload-security/client.ts + 1 modules
var client = __webpack_require__(6038);
// EXTERNAL MODULE: ./src/operations/keys.ts
var keys = __webpack_require__(8832);
// EXTERNAL MODULE: ./src/operations/result.ts
var operations_result = __webpack_require__(4649);
;// CONCATENATED MODULE: ./src/operations/rotate.ts









/** GitHub requests in flight at once: well under GitHub's 100 concurrent requests. */
const GITHUB_CONCURRENCY = 20;
function destinationsOf(rotation) {
    const scope = rotation.scope;
    switch (scope.kind) {
        case 'repository':
            return scope.repositories.map((repository) => ({ kind: 'repository', repository }));
        case 'environment':
            return scope.repositories.map((repository) => ({
                kind: 'environment',
                repository,
                environment: scope.environment
            }));
        case 'organization':
            return [{ kind: 'organization', organization: scope.organization }];
    }
}
/**
 * Rotates the key's secret into every destination, in an order that never leaves the only copy
 * of the new secret in a process about to fail: prove every destination writable, regenerate
 * (never blindly retried), then write all destinations and verify at once.
 */
async function rotate(settings, deps) {
    const { ws, github } = deps;
    const { rotation } = settings;
    const timings = {};
    const name = rotation.secretName;
    const { key, isSelf, prepared } = await (0,operations_result/* phase */.O)('Preflight', timings, async () => {
        const [resolved, prepared] = await Promise.all([
            (0,keys/* resolveKeyAndSelf */.JQ)(ws, settings.key),
            prepareDestinations(github, rotation)
        ]);
        core/* info */.pq(`Rotating key ${resolved.key.ID} "${resolved.key.keyName}"${resolved.isSelf ? ' (the key this action authenticates with)' : ''} into ${prepared.length} destination(s) as ${name}`);
        return { ...resolved, prepared };
    });
    const result = {
        operation: 'rotate',
        dryRun: settings.dryRun,
        key,
        changed: false,
        changes: [],
        secretName: name,
        destinations: prepared.map((p) => ({ destination: p.label, status: 'planned' })),
        secretsUpdated: 0,
        timings
    };
    if (settings.dryRun) {
        result.changes.push(`would issue a new secret and write it to ${prepared.length} secret(s)`);
        core/* info */.pq('Dry run: every destination is readable; nothing was written and no secret was issued');
        return result;
    }
    const removeProbes = await (0,operations_result/* phase */.O)('Preflight write', timings, () => proveWriteAccess(github, prepared, name, isSelf ? settings.connection.apiSecretKey : undefined));
    // The probe has done its job once written: remove it while the secret is regenerated.
    const probesRemoved = removeProbes();
    let regenerated;
    try {
        regenerated = await (0,operations_result/* phase */.O)('Regenerate', timings, () => regenerateWithoutLoss(ws, key, isSelf, settings.connection.maxAttempts, deps.sleep));
    }
    finally {
        await probesRemoved;
    }
    result.changed = true;
    result.key = regenerated.key;
    result.changes.push('issued a new secret (the previous secret no longer works)');
    const [writes, verified] = await (0,operations_result/* phase */.O)('Store and verify', timings, () => Promise.all([
        writeAll(github, prepared, name, regenerated.secretKey),
        verifyNewSecret(ws, regenerated, rotation.verify)
    ]));
    result.destinations = writes;
    result.secretsUpdated = writes.filter(isStored).length;
    result.verified = verified.ok && !verified.skipped;
    result.changes.push(`stored in ${result.secretsUpdated} of ${writes.length} secret(s)`);
    const unstored = writes.filter((w) => !isStored(w));
    if (unstored.length > 0) {
        const report = holdersReport(writes);
        core/* error */.z3(report);
        await printReplay(prepared, writes, name, regenerated.secretKey, github);
        throw new operations_result/* OperationFailedError */.B(`The key's secret was regenerated, but ${unstored.length} of ${writes.length} destination(s) did not confirm the write. ` +
            `${report} Replay those writes with the commands printed above (the ciphertext can only be opened by GitHub).`, result);
    }
    if (!verified.ok) {
        throw new operations_result/* OperationFailedError */.B(`${verified.message} The new secret is stored in ${writes.map((w) => w.destination).join(', ')}.`, result);
    }
    return result;
}
async function prepareDestinations(github, rotation) {
    const destinations = destinationsOf(rotation);
    const scope = rotation.scope;
    const access = scope.kind === 'organization'
        ? github
            .getOrganizationSecretAccess(scope.organization, rotation.secretName)
            .then((existing) => ({
            visibility: scope.visibility ?? existing?.visibility ?? 'private',
            selectedRepositoryIds: existing?.selectedRepositoryIds
        }))
        : Promise.resolve(undefined);
    const [keys, orgAccess] = await Promise.all([
        settleWithLimit(destinations, GITHUB_CONCURRENCY, (d) => github.getPublicKey(d)),
        access
    ]);
    failOnRejected(keys, destinations, 'Preflight could not read the public key of');
    return destinations.map((destination, i) => ({
        destination,
        label: describeDestination(destination),
        publicKey: keys[i].value,
        access: orgAccess
    }));
}
/**
 * Proves that every destination can be written before the secret changes. Rotating the key
 * the action authenticates with, the known current secret is written back (no change for its
 * readers); otherwise a probe secret is written, to be removed once regeneration is under way.
 */
async function proveWriteAccess(github, prepared, name, currentSecret) {
    const probeName = `${name}_ROTATION_PROBE`;
    const probing = currentSecret === undefined;
    const targetName = probing ? probeName : name;
    const value = currentSecret ?? (0,external_node_crypto_.randomBytes)(16).toString('hex');
    // Every destination, even one whose write seemed to fail: its answer may have been lost.
    const removeProbes = async () => {
        const removals = await settleWithLimit(prepared, GITHUB_CONCURRENCY, (p) => github.deleteSecret(p.destination, probeName));
        removals.forEach((r, i) => {
            if (r.status === 'rejected' &&
                !(r.reason instanceof GitHubSecretsError && r.reason.status === 404)) {
                core/* warning */.$e(`Could not remove the probe secret ${probeName} from ${prepared[i].label}: ${errorText(r.reason)}`);
            }
        });
    };
    const results = await settleWithLimit(prepared, GITHUB_CONCURRENCY, async (p) => github.putSecret(p.destination, targetName, await sealForGitHub(value, p.publicKey), probing && p.access ? { visibility: 'private' } : p.access));
    if (probing && results.some((r) => r.status === 'rejected'))
        await removeProbes();
    failOnRejected(results, prepared.map((p) => p.destination), `Preflight could not write ${targetName} to`);
    core/* info */.pq(probing
        ? `Wrote probe secret ${probeName} to every destination`
        : `Re-wrote the current value of ${name} to every destination`);
    return probing ? removeProbes : async () => undefined;
}
function failOnRejected(results, destinations, what) {
    const failures = results.flatMap((r, i) => r.status === 'rejected'
        ? [`${describeDestination(destinations[i])}: ${errorText(r.reason)}`]
        : []);
    if (failures.length > 0) {
        throw new Error(`${what} ${failures.length} destination(s); the key's secret was NOT changed:\n- ${failures.join('\n- ')}`);
    }
}
/**
 * Regenerates the secret, retrying only when the manager certainly did not act. After an
 * answer that may have been lost (timeout, reset, 5xx), it first finds out whether a new
 * secret was issued: rotating its own key, by asking whether the old secret still works;
 * rotating another key, by describing it (the admin key still works, so issuing yet another
 * secret loses nothing).
 */
async function regenerateWithoutLoss(ws, key, isSelf, maxAttempts, sleep) {
    for (let attempt = 1;; attempt++) {
        try {
            const regenerated = await ws.regenerateSecret(isSelf ? 'current' : key.ID);
            core/* info */.pq(`The manager issued a new secret for key ${key.ID} (masked)`);
            return regenerated;
        }
        catch (error) {
            if (!(error instanceof client/* WorkloadSecurityError */.sB))
                throw error;
            // No answer, a server error, or a 200 without a usable body: the manager may have acted.
            const ambiguous = error.status === undefined || error.status >= 500 || error.status === 200;
            if (!ambiguous) {
                throw new Error(`${error.message} The key's secret was not changed.`);
            }
            core/* warning */.$e(`${error.message}; checking whether the manager issued a new secret before trying again`);
            if (isSelf) {
                await ensureOldSecretStillWorks(ws, key, error);
                core/* info */.pq('The current secret still authenticates: no new secret was issued');
            }
            else {
                await ws.describeKey(key.ID);
                core/* info */.pq(`Key ${key.ID} is still there and the admin key still works: a new regeneration loses nothing`);
            }
            const decision = (0,client/* classifyWorkloadSecurityError */.WT)(error);
            if (!decision.retry || attempt >= maxAttempts) {
                throw new Error(isSelf
                    ? `${error.message} The key's secret was not changed (the current secret still authenticates).`
                    : `${error.message} The manager may have issued a new secret whose answer was lost; key ${key.ID}'s previous secret may no longer work. Run the rotation again: it issues a fresh secret and stores it.`);
            }
            await sleep((0,retry/* backoffDelay */.EY)(attempt, decision, { maxAttempts, sleep }));
        }
    }
}
async function ensureOldSecretStillWorks(ws, key, cause) {
    try {
        await ws.describeCurrentKey();
    }
    catch (error) {
        if (error instanceof client/* WorkloadSecurityError */.sB && error.rejected) {
            throw new Error(`The manager issued a new secret for key ${key.ID} "${key.keyName}", but its answer was lost (${cause.message}). ` +
                'The previous secret no longer authenticates and the new one never reached this run, so no GitHub secret was changed. ' +
                'To recover: with a key whose role may edit API keys, run this action with operation rotate and key-id ' +
                `${key.ID} (or issue a new secret for the key in the console) and store the result.`);
        }
        throw new Error(`${cause.message}; and whether the manager issued a new secret could not be checked (${errorText(error)}). ` +
            'If the current secret no longer works, issue a new one for the key with another admin key.');
    }
}
async function writeAll(github, prepared, name, secret) {
    const results = await settleWithLimit(prepared, GITHUB_CONCURRENCY, async (p) => github.putSecret(p.destination, name, await sealForGitHub(secret, p.publicKey), p.access));
    return results.map((r, i) => {
        const destination = prepared[i].label;
        if (r.status === 'fulfilled') {
            core/* info */.pq(`${name} ${r.value} in ${destination}`);
            return { destination, status: r.value };
        }
        core/* error */.z3(`${name} could not be written to ${destination}: ${errorText(r.reason)}`);
        // Without any answer the write may still have landed: say so rather than guess.
        const unanswered = r.reason instanceof GitHubSecretsError && r.reason.status === undefined;
        return {
            destination,
            status: unanswered ? 'unconfirmed' : 'failed',
            error: errorText(r.reason)
        };
    });
}
/** Proves that the new secret authenticates as the same key. */
async function verifyNewSecret(ws, regenerated, verify) {
    const { key } = regenerated;
    if (!verify) {
        core/* info */.pq('verify: false; the new secret was not tested');
        return { ok: true, skipped: true };
    }
    if (!key.active) {
        core/* notice */.lm(`Key ${key.ID} is locked (active: false) and cannot authenticate: verification skipped`);
        return { ok: true, skipped: true };
    }
    const client = ws.withSecret(regenerated.secretKey);
    try {
        const current = await client.describeCurrentKey();
        if (current.ID !== key.ID) {
            return {
                ok: false,
                message: `Verification failed: the new secret authenticates as key ${current.ID}, not key ${key.ID}; check the manager before relying on it.`
            };
        }
        core/* info */.pq(`Verified: the new secret authenticates as key ${key.ID}`);
        return { ok: true, skipped: false };
    }
    catch (error) {
        return {
            ok: false,
            message: `Verification failed: the new secret did not authenticate as key ${key.ID} (${errorText(error)}); check the key on the manager before relying on it.`
        };
    }
    finally {
        client.dispose();
    }
}
/**
 * For each destination that still lacks the new secret, prints its sealed value (only GitHub
 * can open it) and the one command that replays the write.
 */
const isStored = (write) => write.status === 'created' || write.status === 'updated';
/** Which destinations hold the new secret, which may, and which do not. */
function holdersReport(writes) {
    const names = (keep) => writes.filter(keep).map((w) => w.destination);
    const stored = names(isStored);
    const unconfirmed = names((w) => w.status === 'unconfirmed');
    const failed = names((w) => w.status === 'failed');
    return [
        `Destinations holding the new secret: ${stored.length ? stored.join(', ') : 'none'}.`,
        ...(unconfirmed.length
            ? [
                `Not confirmed (no answer arrived; the write may have landed, and replaying it is safe): ${unconfirmed.join(', ')}.`
            ]
            : []),
        ...(failed.length ? [`Not written: ${failed.join(', ')}.`] : [])
    ].join(' ');
}
/**
 * For each destination that may lack the new secret, prints its sealed value (only GitHub can
 * open it) and the one command that replays the write.
 */
async function printReplay(prepared, writes, name, secret, github) {
    for (const [i, write] of writes.entries()) {
        if (isStored(write))
            continue;
        const sealed = await sealForGitHub(secret, prepared[i].publicKey);
        core/* info */.pq(replayInstructions(github.baseUrl, prepared[i], name, sealed));
    }
}
function replayInstructions(baseUrl, p, name, sealed) {
    const body = JSON.stringify(secretWriteBody(sealed, p.access));
    return [
        `Replay for ${p.label} (sealed for its public key ${sealed.keyId}; safe to show, only GitHub can open it):`,
        `  curl -fsS -X PUT -H "Authorization: Bearer $GITHUB_TOKEN" -H "Accept: application/vnd.github+json" \\`,
        `    "${baseUrl}${secretsPath(p.destination)}/${name}" \\`,
        `    -d '${body}'`
    ].join('\n');
}
function errorText(error) {
    return error instanceof Error ? error.message : String(error);
}

;// CONCATENATED MODULE: ./src/rotation.ts
/**
 * What only rotation needs (the GitHub client, libsodium, the pipeline), in one module that
 * main.ts loads on demand, so that other operations start without it.
 */




/***/ })

};

//# sourceMappingURL=30.index.js.map