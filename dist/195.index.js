export const id = 195;
export const ids = [195];
export const modules = {

/***/ 4195:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  GitHubSecretsClient: () => (/* reexport */ GitHubSecretsClient),
  create: () => (/* reexport */ create),
  rotate: () => (/* reexport */ rotate)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 16 modules
var core = __webpack_require__(3340);
// EXTERNAL MODULE: ./node_modules/@actions/github/lib/github.js + 21 modules
var github = __webpack_require__(157);
// EXTERNAL MODULE: ./src/read-capped.ts
var read_capped = __webpack_require__(8601);
// EXTERNAL MODULE: ./src/redaction.ts
var redaction = __webpack_require__(1066);
// EXTERNAL MODULE: ./src/retry.ts
var retry = __webpack_require__(9809);
// EXTERNAL MODULE: ./src/version.ts + 1 modules
var version = __webpack_require__(1013);
;// CONCATENATED MODULE: ./src/github/destination.ts
const TYPE_LABEL = {
    actions: '',
    dependabot: 'Dependabot ',
    codespaces: 'Codespaces '
};
/** Every destination the scope names. */
function destinationsOf(scope, type) {
    switch (scope.kind) {
        case 'repository':
            return scope.repositories.map((repository) => ({ type, kind: 'repository', repository }));
        case 'environment':
            return scope.repositories.map((repository) => ({
                type,
                kind: 'environment',
                repository,
                environment: scope.environment
            }));
        case 'organization':
            return [{ type, kind: 'organization', organization: scope.organization }];
    }
}
/** How a destination is named in the log and the summary, e.g. `repository octo/app`. */
function destinationLabel(destination) {
    const type = TYPE_LABEL[destination.type];
    switch (destination.kind) {
        case 'repository':
            return `${type}repository ${destination.repository}`;
        case 'environment':
            return `environment "${destination.environment}" of ${destination.repository}`;
        case 'organization':
            return `${type}organization ${destination.organization}`;
    }
}
/** The REST path of the destination's secrets collection (environment name URL-encoded). */
function secretsPath(destination) {
    switch (destination.kind) {
        case 'repository':
            return `/repos/${destination.repository}/${destination.type}/secrets`;
        case 'environment':
            return `/repos/${destination.repository}/environments/${encodeURIComponent(destination.environment)}/secrets`;
        case 'organization':
            return `/orgs/${destination.organization}/${destination.type}/secrets`;
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

;// CONCATENATED MODULE: ./src/github/secrets-client.ts







/** A failed GitHub call, with the destination and what the user must do about it. */
class GitHubSecretsError extends Error {
    method;
    path;
    /** HTTP status; undefined when no answer arrived. */
    status;
    retryDecision;
    /** True when GitHub may have acted: no answer arrived, or one that proves nothing. */
    get unconfirmed() {
        return this.status === undefined || (this.status >= 200 && this.status < 300);
    }
    constructor(message, options) {
        super(message);
        this.name = 'GitHubSecretsError';
        this.method = options.method;
        this.path = options.path;
        this.status = options.status;
        this.retryDecision = options.retryDecision;
    }
}
/** The most pages of selected repositories read (100 each): GitHub allows far fewer. */
const MAX_PAGES = 100;
/** GitHub's documented secondary limit on content-creating requests. */
const GITHUB_WRITES_PER_MINUTE = 80;
/** Reads public keys and writes Actions, Dependabot and Codespaces secrets through GitHub's REST API. */
class GitHubSecretsClient {
    options;
    octokit;
    retryPolicy;
    /**
     * Recent writes for the rolling-minute pacing: each counts from when it was sent until a
     * minute after its answer arrived (Infinity while in flight), so that GitHub, which counts
     * it somewhere in between, never sees more than the limit in any minute.
     */
    writes = [];
    pacingNoticeUntil = 0;
    constructor(options) {
        this.options = options;
        this.octokit = (0,github/* getOctokit */.Q)(options.token, {
            baseUrl: options.baseUrl,
            userAgent: version/* USER_AGENT */._,
            request: { fetch: cappedFetch },
            log: {
                debug: () => undefined,
                info: () => undefined,
                warn: (message) => core/* debug */.Yz(message),
                error: (message) => core/* debug */.Yz(message)
            }
        });
        this.retryPolicy = {
            maxAttempts: options.request.maxAttempts,
            clock: options.clock,
            onRetry: (0,retry/* logRetry */.zD)(options.request.maxAttempts)
        };
    }
    /** The REST API base URL (GITHUB_API_URL). */
    get baseUrl() {
        return this.options.baseUrl;
    }
    async getPublicKey(destination) {
        const { data } = await this.request(destination, 'GET', `${secretsPath(destination)}/public-key`);
        if (typeof data?.key_id !== 'string' || typeof data.key !== 'string') {
            throw new GitHubSecretsError(`GitHub answered the public key of ${destinationLabel(destination)} without key_id and key`, {
                method: 'GET',
                path: `${secretsPath(destination)}/public-key`,
                status: 200,
                retryDecision: { retry: false }
            });
        }
        return { key_id: data.key_id, key: data.key };
    }
    /**
     * The current visibility and selected repositories of an organization secret; undefined if
     * it does not exist yet. Paging is bounded and stops on a page that repeats.
     */
    async getOrganizationSecretAccess(destination, name) {
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
        const ids = new Set();
        let previous = '';
        for (let page = 1;; page++) {
            const listPath = `${path}/repositories?per_page=100&page=${page}`;
            const { data: list } = await this.request(destination, 'GET', listPath);
            const pageIds = (list.repositories ?? []).map((r) => r.id);
            const signature = pageIds.join(',');
            if (pageIds.length > 0 && signature === previous) {
                throw this.pagingError(listPath, 'the same page of repositories came back twice');
            }
            previous = signature;
            pageIds.forEach((id) => ids.add(id));
            if (pageIds.length < 100 || ids.size >= (list.total_count ?? 0))
                break;
            if (page >= MAX_PAGES) {
                throw this.pagingError(listPath, `more than ${MAX_PAGES} pages of repositories`);
            }
        }
        return { visibility, selectedRepositoryIds: [...ids] };
    }
    pagingError(path, what) {
        return new GitHubSecretsError(`GET ${path}: ${what}; the secret's repository list could not be read, so nothing was changed.`, { method: 'GET', path, status: 200, retryDecision: { retry: false } });
    }
    /** The numeric ID of a repository (owner/name), for `selected_repository_ids`. */
    async getRepositoryId(repository) {
        const destination = { type: 'actions', kind: 'repository', repository };
        const path = `/repos/${repository}`;
        const { data } = await this.request(destination, 'GET', path);
        if (!Number.isInteger(data?.id)) {
            throw new GitHubSecretsError(`GitHub answered ${path} without a repository id`, {
                method: 'GET',
                path,
                status: 200,
                retryDecision: { retry: false }
            });
        }
        return data.id;
    }
    /** Creates or updates the secret; `created` when GitHub answered 201. */
    async putSecret(destination, name, sealed, access) {
        const path = `${secretsPath(destination)}/${name}`;
        const { status } = await this.request(destination, 'PUT', path, secretWriteBody(sealed, access));
        if (status === 201)
            return 'created';
        if (status === 204)
            return 'updated';
        // GitHub documents 201 and 204 only: anything else does not prove the secret was stored.
        throw new GitHubSecretsError(`PUT ${path} answered HTTP ${status}, not 201 or 204: whether GitHub stored the secret is not known`, { method: 'PUT', path, status, retryDecision: { retry: false } });
    }
    async deleteSecret(destination, name) {
        const path = `${secretsPath(destination)}/${name}`;
        const { status } = await this.request(destination, 'DELETE', path);
        if (status !== 204) {
            throw new GitHubSecretsError(`DELETE ${path} answered HTTP ${status}, not 204: whether GitHub deleted the secret is not known`, { method: 'DELETE', path, status, retryDecision: { retry: false } });
        }
    }
    /** One call with retries; the answer's status and parsed body. */
    request(destination, method, path, body) {
        return (0,retry/* withRetry */.bD)(async () => {
            const write = method === 'PUT' || method === 'DELETE' ? await this.paceWrite() : undefined;
            const started = this.options.clock.now();
            try {
                const response = await this.octokit.request(`${method} ${path}`, {
                    ...body,
                    request: { signal: this.options.clock.timeout(this.options.request.timeoutMs) }
                });
                core/* debug */.Yz(`GitHub ${method} ${path} -> ${response.status} (${this.options.clock.now() - started} ms)`);
                return { status: response.status, data: response.data };
            }
            catch (error) {
                throw toGitHubError(error, destination, method, path, this.options.clock.now);
            }
            finally {
                if (write)
                    write.until = this.options.clock.now() + 60_000;
            }
        }, (error) => (error instanceof GitHubSecretsError ? error.retryDecision : { retry: false }), this.retryPolicy);
    }
    /**
     * Waits until a write fits under the rolling-minute limit, so that a fan-out to many
     * destinations paces itself instead of tripping GitHub's secondary limits. Returns the
     * write's entry, to be closed when its answer arrives.
     */
    async paceWrite() {
        const limit = this.options.writesPerMinute ?? GITHUB_WRITES_PER_MINUTE;
        for (;;) {
            const time = this.options.clock.now();
            this.writes = this.writes.filter((w) => w.until > time);
            if (this.writes.length < limit) {
                const write = { until: Infinity };
                this.writes.push(write);
                return write;
            }
            const until = Math.min(...this.writes.map((w) => w.until));
            const wait = until === Infinity ? 1000 : until - time;
            if (until !== Infinity && until > this.pacingNoticeUntil) {
                this.pacingNoticeUntil = until;
                core/* info */.pq(`Pacing secret writes under GitHub's limit of ${limit} a minute: waiting ${Math.ceil(wait / 1000)} s`);
            }
            await this.options.clock.sleep(wait);
        }
    }
}
/** The permission a token needs to write secrets of the destination. */
function writePermission(destination) {
    const organization = destination.kind === 'organization';
    switch (destination.type) {
        case 'dependabot':
            return organization
                ? 'the organization permission "Organization dependabot secrets: Read and write"'
                : 'the repository permission "Dependabot secrets: Read and write"';
        case 'codespaces':
            return organization
                ? 'the organization permission "Organization codespaces secrets: Read and write"'
                : 'the repository permission "Codespaces secrets: Read and write"';
        case 'actions':
            if (organization)
                return 'the organization permission "Secrets: Read and write"';
            return destination.kind === 'environment'
                ? 'the repository permissions "Secrets: Read and write" and "Environments: Read"'
                : 'the repository permission "Secrets: Read and write"';
    }
}
/** Maps an Octokit failure to what the user must do, and to whether it may be retried. */
function toGitHubError(error, destination, method, path, now) {
    const failure = error;
    const where = destinationLabel(destination);
    const request = `${method} ${path}`;
    if (!failure.response) {
        const name = error?.name;
        const reason = name === 'TimeoutError' || name === 'AbortError'
            ? 'no complete answer in time'
            : (0,redaction/* untrusted */.bp)((0,redaction/* errorText */.kc)(error));
        return new GitHubSecretsError(`${request} failed: ${reason}`, {
            method,
            path,
            retryDecision: { retry: true }
        });
    }
    const status = failure.status ?? 0;
    const headers = failure.response.headers ?? {};
    const message = failure.response.data?.message;
    const serverMessage = typeof message === 'string' ? (0,redaction/* untrusted */.bp)(message) : '';
    const said = `${request} answered HTTP ${status}${serverMessage ? `: ${serverMessage.replace(/[.\s]+$/, '')}` : ''}`;
    const rateLimit = rateLimitDecision(status, headers, serverMessage, now);
    if (rateLimit) {
        return new GitHubSecretsError(`${said} (GitHub rate limit)`, {
            method,
            path,
            status,
            retryDecision: rateLimit
        });
    }
    if (status >= 500) {
        return new GitHubSecretsError(said, { method, path, status, retryDecision: { retry: true } });
    }
    let advice;
    switch (status) {
        case 401:
            advice = 'GitHub rejected github-token: it is invalid, expired or revoked.';
            break;
        case 403:
            advice =
                `github-token may not write secrets of ${where}. The workflow's own GITHUB_TOKEN never can:` +
                    ` use a GitHub App installation token or a fine-grained personal access token with ${writePermission(destination)}.`;
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
    return new GitHubSecretsError(`${said}. ${advice}`, {
        method,
        path,
        status,
        retryDecision: { retry: false }
    });
}
/**
 * GitHub's primary and secondary limits answer 403 or 429: honour retry-after, else wait for
 * x-ratelimit-reset when nothing remains, else wait at least a minute.
 */
function rateLimitDecision(status, headers, serverMessage, now) {
    if (status !== 403 && status !== 429)
        return undefined;
    const retryAfterMs = (0,retry/* parseRetryAfter */.mu)(headers['retry-after'], now);
    if (retryAfterMs !== undefined)
        return { retry: true, afterMs: retryAfterMs };
    if (headers['x-ratelimit-remaining'] === '0' && headers['x-ratelimit-reset']) {
        const resetMs = Number(headers['x-ratelimit-reset']) * 1000 - now();
        return { retry: true, afterMs: Math.max(resetMs, 1000) };
    }
    if (status === 429 || /rate limit/i.test(serverMessage)) {
        return { retry: true, minDelayMs: 60_000 };
    }
    return undefined;
}
/** fetch with the answer's body read up front and capped, so that no answer can be endless. */
async function cappedFetch(input, init) {
    const response = await fetch(input, init);
    if (!response.body)
        return response;
    const reader = response.body.getReader();
    const chunks = [];
    let size = 0;
    for (;;) {
        const { done, value } = await reader.read();
        if (done)
            break;
        size += value.length;
        if (size > read_capped/* MAX_BODY_BYTES */.YK) {
            await reader.cancel();
            throw new Error('the answer was larger than 1 MiB');
        }
        chunks.push(value);
    }
    return new Response(response.status === 204 ? null : Buffer.concat(chunks), {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers
    });
}

// EXTERNAL MODULE: ./src/workload-security/client.ts + 2 modules
var client = __webpack_require__(4429);
// EXTERNAL MODULE: ./src/workload-security/error.ts
var workload_security_error = __webpack_require__(3448);
// EXTERNAL MODULE: ./src/operations/resolve.ts
var resolve = __webpack_require__(3646);
// EXTERNAL MODULE: ./src/operations/result.ts
var operations_result = __webpack_require__(4649);
;// CONCATENATED MODULE: ./src/operations/issue-secret.ts






/** Issues a new secret for `key`: the secret (masked) and the key as the manager returned it. */
async function issueNewSecret(ws, key, options) {
    for (let attempt = 1;; attempt++) {
        try {
            const issued = await ws.regenerateSecret(options.isSelf ? 'current' : key.ID);
            core/* info */.pq(`The manager issued a new secret for ${(0,resolve/* keyLabel */.w8)(key)} (masked)`);
            // The key ID is known from preflight; verification decides whether the secret works.
            return { secretKey: issued.secretKey, key: issued.key?.ID === key.ID ? issued.key : key };
        }
        catch (error) {
            if (!(error instanceof workload_security_error/* WorkloadSecurityError */.s))
                throw error;
            const decision = (0,client/* classifyIssuingError */.zL)(error);
            if (decision.retry && attempt < options.maxAttempts) {
                const delayMs = (0,retry/* backoffDelay */.EY)(attempt, decision, {
                    maxAttempts: options.maxAttempts,
                    clock: options.clock
                });
                core/* info */.pq(`${error.message}; the manager did not act, retrying in ${delayMs} ms`);
                await options.clock.sleep(delayMs);
                continue;
            }
            if (!error.unclear)
                throw new Error(`${error.message} The key's secret was not changed.`);
            throw new Error(await unclearOutcome(ws, key, error, options));
        }
    }
}
/** What is known after an unclear answer to a regeneration, and what to do. */
async function unclearOutcome(ws, key, cause, options) {
    const unclear = `The answer to the regeneration of ${(0,resolve/* keyLabel */.w8)(key)}'s secret was unclear (${cause.message}).` +
        ' No second secret was issued: a slow manager may still complete the first request, which would kill any secret issued after it.';
    if (options.idleOfPair) {
        return (`${unclear} This harms nobody: the destinations still hold the live key of the pair, which keeps working. ` +
            'No GitHub secret was changed. Run the rotation again.');
    }
    if (!options.isSelf) {
        return (`${unclear} The manager may have issued a new secret whose answer was lost: key ${key.ID}'s previous secret may no longer work, and no GitHub secret was changed. ` +
            `To recover: run this rotation again (with key-id ${key.ID}); it issues a fresh secret and stores it.`);
    }
    try {
        await ws.getCurrentKey();
    }
    catch (error) {
        if (error instanceof workload_security_error/* WorkloadSecurityError */.s && error.rejected) {
            return (`${unclear} The previous secret no longer authenticates: the manager issued a new secret that never reached this run, and no GitHub secret was changed. ` +
                'To recover: with a key whose role may edit API keys, run this action with operation rotate and key-id ' +
                `${key.ID} (or issue a new secret for the key in the console) and store the result.`);
        }
        return (`${unclear} Whether the previous secret still works could not be checked (${(0,redaction/* errorText */.kc)(error)}). ` +
            `If it no longer works, issue a new secret for key ${key.ID} with another admin key (operation rotate, key-id ${key.ID}).`);
    }
    return (`${unclear} The previous secret still authenticated when checked, and no GitHub secret was changed; ` +
        `if the manager completes the request later, the previous secret stops working. Run the rotation again once the manager answers normally; ` +
        `if the key is then locked out, rotate it with another admin key (operation rotate, key-id ${key.ID}).`);
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./src/cancellation.ts
var cancellation = __webpack_require__(4632);
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
                results[index] = { status: 'fulfilled', value: await task(items[index], index) };
            }
            catch (reason) {
                results[index] = { status: 'rejected', reason };
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}

;// CONCATENATED MODULE: ./src/github/replay.ts

function replayBlock(baseUrl, secretName, entries) {
    const lines = [
        `Sealed copies of the new secret, one per destination (safe to show: only GitHub can open them).` +
            ` If this run does not confirm a destination below, store it again with its command` +
            ` (WRITER_TOKEN: a token that can write the secret, as github-token; never the workflow's GITHUB_TOKEN):`
    ];
    for (const { destination, sealed, access } of entries) {
        const body = JSON.stringify(secretWriteBody(sealed, access));
        lines.push(`Replay for ${destinationLabel(destination)} (sealed for its public key ${sealed.keyId}):`, `  curl -fsS -X PUT -H "Authorization: Bearer $WRITER_TOKEN" -H "Accept: application/vnd.github+json" \\`, `    "${baseUrl}${secretsPath(destination)}/${secretName}" \\`, `    -d '${body}'`);
    }
    return lines.join('\n');
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

;// CONCATENATED MODULE: ./src/operations/store.ts










/*
 * Storing a new secret in GitHub, shared by rotate and create. Invariants:
 * - Preflight changes nothing a consumer could notice: the write proof keeps each secret's
 *   existing value and visibility; a new visibility comes with the real write only.
 * - From the moment the manager issued a secret until every destination confirmed it, a sealed
 *   copy for every destination is in the log (printed before the first write), and a
 *   cancellation ends the run with a report of what holds the secret.
 * - Real writes go out before the probe clean-up.
 */
/** GitHub requests in flight at once: well under GitHub's 100 concurrent requests. */
const GITHUB_CONCURRENCY = 20;
/** Reads every destination's public key, and for an organization secret who may read it. */
async function prepareDestinations(github, store) {
    const destinations = destinationsOf(store.scope, store.secretType);
    const [keys, access] = await Promise.all([
        settleWithLimit(destinations, GITHUB_CONCURRENCY, (d) => github.getPublicKey(d)),
        organizationAccess(github, store, destinations[0])
    ]);
    failOnRejected(keys, destinations, 'Preflight could not read the public key of');
    return destinations.map((destination, i) => ({
        destination,
        label: destinationLabel(destination),
        publicKey: keys[i].value,
        ...access
    }));
}
async function organizationAccess(github, store, destination) {
    const { scope } = store;
    if (scope.kind !== 'organization')
        return {};
    const [existingAccess, selectedRepositoryIds] = await Promise.all([
        github.getOrganizationSecretAccess(destination, store.secretName).catch((error) => {
            throw new Error(`Preflight could not read ${store.secretName} of ${destinationLabel(destination)}: ${(0,redaction/* errorText */.kc)(error)} The key's secret was NOT changed.`);
        }),
        scope.repositories
            ? Promise.all(scope.repositories.map((repository) => github.getRepositoryId(repository).catch((error) => {
                throw new Error(`Preflight could not find repository ${repository} (repositories): ${(0,redaction/* errorText */.kc)(error)} The key's secret was NOT changed.`);
            })))
            : undefined
    ]);
    const visibility = scope.visibility ?? existingAccess?.visibility ?? 'private';
    if (visibility !== 'selected')
        return { access: { visibility }, existingAccess };
    if (selectedRepositoryIds) {
        return { access: { visibility, selectedRepositoryIds }, existingAccess };
    }
    if (existingAccess?.visibility !== 'selected') {
        throw new Error(`visibility: selected needs repositories: ${store.secretName} of ${destinationLabel(destination)} is not ` +
            `a selected-repositories secret yet, so no repository could read it. The key's secret was NOT changed.`);
    }
    return { access: existingAccess, existingAccess };
}
/**
 * Proves that every destination can be written before the secret changes. Rotating the key
 * the action authenticates with, the known current secret is written back with the secret's
 * existing visibility (no change for its readers); otherwise a probe secret is written, to be
 * removed after the real writes. Returns the probe clean-up.
 */
async function proveWriteAccess(github, prepared, name, currentSecret) {
    const probeName = `${name}_ROTATION_PROBE`;
    const probing = currentSecret === undefined;
    const targetName = probing ? probeName : name;
    const value = currentSecret ?? (0,external_node_crypto_.randomBytes)(16).toString('hex');
    // Every destination the probe may have reached: a write GitHub refused (4xx) left nothing.
    let written = prepared.map(() => true);
    const removeProbes = async () => {
        const targets = prepared.filter((_p, i) => written[i]);
        const removals = await settleWithLimit(targets, GITHUB_CONCURRENCY, (p) => github.deleteSecret(p.destination, probeName));
        removals.forEach((r, i) => {
            if (r.status === 'rejected' &&
                !(r.reason instanceof GitHubSecretsError && r.reason.status === 404)) {
                core/* warning */.$e(`Could not remove the probe secret ${probeName} from ${targets[i].label}: ${(0,redaction/* errorText */.kc)(r.reason)}`);
            }
        });
    };
    const results = await settleWithLimit(prepared, GITHUB_CONCURRENCY, async (p) => {
        const access = !p.access
            ? undefined
            : probing
                ? { visibility: 'private' }
                : (p.existingAccess ?? { visibility: 'private' });
        return github.putSecret(p.destination, targetName, await sealForGitHub(value, p.publicKey), access);
    });
    written = results.map((r) => r.status === 'fulfilled' ||
        !(r.reason instanceof GitHubSecretsError &&
            r.reason.status !== undefined &&
            r.reason.status >= 400 &&
            r.reason.status < 500));
    if (probing && results.some((r) => r.status === 'rejected'))
        await removeProbes();
    failOnRejected(results, prepared.map((p) => p.destination), `Preflight could not write ${targetName} to`);
    core/* info */.pq(probing
        ? `Wrote probe secret ${probeName} to every destination`
        : `Re-wrote the current value of ${name} to every destination`);
    return probing ? removeProbes : async () => undefined;
}
function failOnRejected(results, destinations, what) {
    const failures = results.flatMap((r, i) => r.status === 'rejected' ? [`${destinationLabel(destinations[i])}: ${(0,redaction/* errorText */.kc)(r.reason)}`] : []);
    if (failures.length > 0) {
        throw new Error(`${what} ${failures.length} destination(s); the key's secret was NOT changed:\n- ${failures.join('\n- ')}`);
    }
}
/**
 * Stores a secret the manager just issued: seal for every destination and print the replay
 * block, then write every destination while verifying the secret, then remove the probes. A
 * cancellation before every destination answered ends the delivery at once, with what is known.
 */
async function deliverSecret(clients, prepared, name, issued, options) {
    const { github, ws } = clients;
    const writes = prepared.map((p) => ({
        label: p.label,
        status: 'unconfirmed'
    }));
    const sealed = await Promise.all(prepared.map((p) => sealForGitHub(issued.secretKey, p.publicKey)));
    core/* info */.pq(replayBlock(github.baseUrl, name, prepared.map((p, i) => ({ destination: p.destination, sealed: sealed[i], access: p.access }))));
    const writing = settleWithLimit(prepared, GITHUB_CONCURRENCY, async (p, i) => {
        const status = await github.putSecret(p.destination, name, sealed[i], p.access);
        writes[i] = { label: p.label, status };
        core/* info */.pq(`${name} ${status} in ${p.label}`);
        return status;
    });
    let verification;
    try {
        ;
        [, verification] = await (0,cancellation/* unlessCancelled */.MS)(Promise.all([writing, verifyNewSecret(ws, issued, options.verify)]));
    }
    catch (error) {
        if (!(error instanceof cancellation/* CancelledError */.cc))
            throw error;
        return {
            writes,
            verification: { ok: false, message: 'Verification did not finish.' },
            cancelled: error.signal
        };
    }
    ;
    (await writing).forEach((r, i) => {
        if (r.status === 'fulfilled')
            return;
        const label = prepared[i].label;
        core/* error */.z3(`${name} could not be written to ${label}: ${(0,redaction/* errorText */.kc)(r.reason)}`);
        // Without any answer the write may still have landed: say so rather than guess.
        const unanswered = r.reason instanceof GitHubSecretsError && r.reason.unconfirmed;
        writes[i] = { label, status: unanswered ? 'unconfirmed' : 'failed', error: (0,redaction/* errorText */.kc)(r.reason) };
    });
    await options.removeProbes();
    return { writes, verification };
}
/** Proves that the new secret authenticates as the same key. */
async function verifyNewSecret(ws, issued, verify) {
    const { key } = issued;
    if (!verify) {
        core/* info */.pq('verify: false; the new secret was not tested');
        return { ok: true, skipped: true };
    }
    if (!key.active) {
        core/* notice */.lm(`${(0,resolve/* keyLabel */.w8)(key)} is locked (active: false) and cannot authenticate: verification skipped`);
        return { ok: true, skipped: true };
    }
    const client = ws.withSecret(issued.secretKey);
    try {
        const current = await client.getCurrentKey();
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
            message: `Verification failed: the new secret did not authenticate as key ${key.ID} (${(0,redaction/* errorText */.kc)(error)}); check the key on the manager before relying on it.`
        };
    }
    finally {
        client.dispose();
    }
}
const isStored = (write) => write.status === 'created' || write.status === 'updated';
/** Which destinations hold the new secret, which may, and which do not. */
function holdersReport(writes) {
    const labels = (keep) => writes.filter(keep).map((w) => w.label);
    const stored = labels(isStored);
    const unconfirmed = labels((w) => w.status === 'unconfirmed');
    const failed = labels((w) => w.status === 'failed');
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

;// CONCATENATED MODULE: ./src/operations/rotate.ts







/*
 * Rotation, in an order that never leaves the only copy of the new secret in a process about
 * to fail: preflight (resolve the key, read every destination's public key, prove write
 * access) changes nothing a consumer notices; then the expiry, then one regeneration, then the
 * sealed copies are printed and every destination written while the secret is verified.
 * `alternate` regenerates the idle key of a pair, so the live key keeps working.
 */
const DAY_MS = 86_400_000;
/** Rotates a key's secret (or a pair's idle key's) into every destination. */
async function rotate(settings, clients) {
    const { ws, github, clock } = clients;
    const { store } = settings;
    const timings = {};
    const { key, isSelf, live, prepared } = await (0,operations_result/* phase */.O)('Preflight', timings, clock, async () => {
        const [target, prepared] = await Promise.all([
            settings.strategy === 'alternate'
                ? choosePair(settings, clients)
                : (0,resolve/* resolveKeyAndSelf */.JQ)(ws, settings.selector),
            prepareDestinations(github, store)
        ]);
        const { key, isSelf } = target;
        const live = 'live' in target ? target.live : undefined;
        core/* info */.pq(`Rotating ${(0,resolve/* keyLabel */.w8)(key)}${isSelf ? ' (the key this action authenticates with)' : ''}` +
            `${live ? ` (idle key of the pair; ${(0,resolve/* keyLabel */.w8)(live)} is live and stays untouched)` : ''}` +
            ` into ${prepared.length} destination(s) as ${store.secretName}`);
        return { key, isSelf, live, prepared };
    });
    const result = {
        operation: 'rotate',
        dryRun: settings.dryRun,
        key,
        previousKey: live,
        changed: false,
        changes: [],
        secretName: store.secretName,
        destinations: prepared.map((p) => ({ label: p.label, status: 'planned' })),
        secretsUpdated: 0,
        timings
    };
    if (settings.dryRun) {
        result.changes.push(`would ${settings.expiryDays ? `set the expiry to ${settings.expiryDays} days from now, ` : ''}issue a new secret and write it to ${prepared.length} secret(s)`);
        core/* info */.pq('Dry run: every destination is readable; nothing was written and no secret was issued');
        return result;
    }
    const removeProbes = await (0,operations_result/* phase */.O)('Preflight write', timings, clock, () => proveWriteAccess(github, prepared, store.secretName, isSelf ? settings.connection.apiSecretKey : undefined));
    let issued;
    try {
        issued = await (0,operations_result/* phase */.O)('Regenerate', timings, clock, async () => {
            if (settings.expiryDays !== undefined) {
                result.expirySet = await setExpiry(clients, key, settings.expiryDays);
                result.key = { ...key, expiryDate: result.expirySet };
                result.changed = true;
                result.changes.push(`expiry set to ${new Date(result.expirySet).toISOString()}`);
            }
            return issueNewSecret(ws, result.key, {
                isSelf,
                idleOfPair: live !== undefined,
                maxAttempts: settings.request.maxAttempts,
                clock
            });
        });
    }
    catch (error) {
        await removeProbes();
        throw error;
    }
    result.changed = true;
    result.key = issued.key;
    result.changes.push(live
        ? `issued a new secret for the idle key ${key.ID} (key ${live.ID} keeps working until its own expiry)`
        : 'issued a new secret (the previous secret no longer works)');
    await storeIssued(clients, settings.store.verify, prepared, store.secretName, issued, result, removeProbes);
    return result;
}
/**
 * Stores the issued secret and completes the result; throws {@link OperationFailedError} when
 * a destination did not confirm or verification failed. Shared by rotate and create.
 */
async function storeIssued(clients, verify, prepared, name, issued, result, removeProbes) {
    const { writes, verification, cancelled } = await (0,operations_result/* phase */.O)('Store and verify', result.timings, clients.clock, () => deliverSecret(clients, prepared, name, issued, { verify, removeProbes }));
    result.destinations = writes;
    result.secretsUpdated = writes.filter(isStored).length;
    result.verified = verification.ok && !verification.skipped;
    result.changes.push(`stored in ${result.secretsUpdated} of ${writes.length} secret(s)`);
    const unstored = writes.filter((w) => !isStored(w));
    if (cancelled) {
        throw new operations_result/* OperationFailedError */.B(`Cancelled (${cancelled}) while storing the new secret of ${(0,resolve/* keyLabel */.w8)(issued.key)}. ${holdersReport(writes)} ` +
            'Store it in every destination that does not hold it with the commands printed above (the ciphertext can only be opened by GitHub).', result);
    }
    if (unstored.length > 0) {
        const report = holdersReport(writes);
        core/* error */.z3(report);
        throw new operations_result/* OperationFailedError */.B(`The new secret was issued, but ${unstored.length} of ${writes.length} destination(s) did not confirm the write. ` +
            `${report} Replay those writes with the commands printed above (the ciphertext can only be opened by GitHub).`, result);
    }
    if (!verification.ok) {
        throw new operations_result/* OperationFailedError */.B(`${verification.message} The new secret is stored in ${writes.map((w) => w.label).join(', ')}.`, result);
    }
}
/**
 * Sets the key's expiry to now + `days` with `POST /apikeys/{id}` (also for the authenticating
 * key: `/apikeys/current` may not change it). Nothing else has changed if this fails.
 */
async function setExpiry({ ws, clock }, key, days) {
    const expiryDate = clock.now() + days * DAY_MS;
    try {
        await ws.updateKey(key.ID, { expiryDate });
    }
    catch (error) {
        // The change is absolute: after an unclear answer, the key itself says whether it landed.
        const landed = error instanceof workload_security_error/* WorkloadSecurityError */.s &&
            error.unclear &&
            (await ws.getKey(key.ID).then((k) => k.expiryDate === expiryDate, () => false));
        if (!landed) {
            const rights = error instanceof workload_security_error/* WorkloadSecurityError */.s && error.rejected
                ? ` Setting expiry-days needs a role that may edit API keys ("Edit API key properties").`
                : '';
            const state = error instanceof workload_security_error/* WorkloadSecurityError */.s && error.unclear
                ? ` The key's expiry may or may not be ${new Date(expiryDate).toISOString()} now; its secret was not changed.`
                : " Nothing was changed: the key's expiry and secret are as they were.";
            throw new Error(`${(0,redaction/* errorText */.kc)(error)}${rights}${state}`);
        }
    }
    core/* info */.pq(`Set the expiry of ${(0,resolve/* keyLabel */.w8)(key)} to ${new Date(expiryDate).toISOString()}`);
    return expiryDate;
}
/**
 * `alternate`: resolves both keys of the pair. The idle key (earlier expiry; none counts as
 * earliest; a tie goes to the lower ID) gets the new secret; it must be active and must not
 * be the key the action authenticates with.
 */
async function choosePair(settings, { ws, clock }) {
    const now = clock.now();
    const [first, second, current] = await Promise.all([
        (0,resolve/* resolveKey */.oO)(ws, settings.selector),
        (0,resolve/* resolveKey */.oO)(ws, settings.partner),
        ws.getCurrentKey()
    ]);
    if (first.ID === second.ID) {
        throw new Error(`strategy alternate needs two different keys; both name ${(0,resolve/* keyLabel */.w8)(first)}. Nothing was changed.`);
    }
    const expiry = (k) => k.expiryDate ?? -Infinity;
    const [idle, live] = expiry(first) < expiry(second) || (expiry(first) === expiry(second) && first.ID < second.ID)
        ? [first, second]
        : [second, first];
    if (!idle.active) {
        throw new Error(`The idle key of the pair, ${(0,resolve/* keyLabel */.w8)(idle)}, is locked (active: false): somebody locked it on purpose. ` +
            'Unlock it (operation unlock) if it should take its turn. Nothing was changed.');
    }
    if (idle.ID === current.ID) {
        throw new Error(`The idle key of the pair, ${(0,resolve/* keyLabel */.w8)(idle)}, is the key this action authenticates with: regenerating it would cut this run off. ` +
            'Authenticate with another key (an admin key, or the live key of the pair). Nothing was changed.');
    }
    core/* info */.pq(`Pair: ${(0,resolve/* keyLabel */.w8)(idle)} is idle (expiry ${expiryText(idle)}), ${(0,resolve/* keyLabel */.w8)(live)} is live (expiry ${expiryText(live)})`);
    // The idle key's expiry was set less than a day ago: it was stored then, and jobs that read
    // it since may still be running when its secret is replaced now.
    const expiryDays = settings.expiryDays ?? 0;
    if (idle.expiryDate !== undefined && idle.expiryDate > now + (expiryDays - 1) * DAY_MS) {
        core/* warning */.$e(`${(0,resolve/* keyLabel */.w8)(idle)} was rotated less than a day ago: jobs that read it since then lose their credential now. ` +
            'Space alternating rotations further apart than your longest job and its queue time.');
    }
    return { key: idle, isSelf: false, live };
}
function expiryText(key) {
    return key.expiryDate === undefined ? 'none' : new Date(key.expiryDate).toISOString();
}

;// CONCATENATED MODULE: ./src/operations/create.ts









/*
 * create: a new key whose secret goes straight into GitHub secrets. Preflight (the role, that no
 * key has the name yet, every destination readable and writable) changes nothing; then the key
 * is created once (retried only where the manager certainly did not act), stored like a
 * rotation's secret, and verified. When no destination could store it, the key is deleted:
 * nothing can depend on it.
 */
const create_DAY_MS = 86_400_000;
async function create(settings, clients) {
    const { ws, github, clock } = clients;
    const { store } = settings;
    const timings = {};
    const name = (0,redaction/* logSafe */.sN)(settings.keyName);
    const { role, prepared } = await (0,operations_result/* phase */.O)('Preflight', timings, clock, async () => {
        const [role, existing, prepared] = await Promise.all([
            (0,resolve/* resolveRole */.fy)(ws, settings.role),
            ws.findKeyByName(settings.keyName),
            prepareDestinations(github, store)
        ]);
        if (existing) {
            throw new Error(`An API key named "${name}" already exists (${(0,resolve/* keyLabel */.w8)(existing)}); choose another key-name. Nothing was changed.`);
        }
        core/* info */.pq(`Creating key "${name}" with role ${(0,resolve/* roleLabel */.bR)(role)}; its secret goes to ${prepared.length} destination(s) as ${store.secretName}`);
        return { role, prepared };
    });
    const expiryDate = settings.expiryDays === undefined ? undefined : clock.now() + settings.expiryDays * create_DAY_MS;
    const planned = {
        ID: 0,
        keyName: settings.keyName,
        description: settings.description,
        roleID: role.ID,
        active: true,
        ...(expiryDate !== undefined && { expiryDate })
    };
    const result = {
        operation: 'create',
        dryRun: settings.dryRun,
        key: planned,
        role,
        changed: false,
        changes: [],
        secretName: store.secretName,
        destinations: prepared.map((p) => ({ label: p.label, status: 'planned' })),
        secretsUpdated: 0,
        expirySet: expiryDate,
        timings
    };
    if (settings.dryRun) {
        result.changes.push(`would create key "${name}" and write its secret to ${prepared.length} secret(s)`);
        core/* info */.pq("Dry run: the role and every destination's public key were read; nothing was written and no key was created (write access is proven by a real run only)");
        return result;
    }
    const removeProbes = await (0,operations_result/* phase */.O)('Preflight write', timings, clock, () => proveWriteAccess(github, prepared, store.secretName, undefined));
    const body = {
        keyName: settings.keyName,
        description: settings.description,
        roleID: role.ID,
        ...(expiryDate !== undefined && { expiryDate })
    };
    let issued;
    try {
        issued = await (0,operations_result/* phase */.O)('Create', timings, clock, () => createOnce(clients, body, settings.request.maxAttempts));
    }
    catch (error) {
        await removeProbes();
        throw error;
    }
    result.key = issued.key;
    result.changed = true;
    result.changes.push(`created ${(0,resolve/* keyLabel */.w8)(issued.key)}`);
    try {
        await storeIssued(clients, store.verify, prepared, store.secretName, issued, result, removeProbes);
    }
    catch (error) {
        if (error instanceof operations_result/* OperationFailedError */.B &&
            result.destinations?.every((d) => d.status === 'failed')) {
            // GitHub refused every write: nothing can depend on the key, so it goes. (A write whose
            // answer never arrived may have landed: then the key stays.)
            const cleanup = await ws
                .deleteKey(issued.key.ID)
                .then(() => `The new key ${issued.key.ID} was deleted again.`)
                .catch((e) => `Deleting the new key ${issued.key.ID} failed too (${(0,redaction/* errorText */.kc)(e)}): delete it by hand (operation delete, key-id ${issued.key.ID}).`);
            result.changes.push(cleanup);
            throw new operations_result/* OperationFailedError */.B(`GitHub refused every write of the new key's secret: ${holdersReport(result.destinations ?? [])} ${cleanup} Fix the cause and run create again.`, result);
        }
        throw error;
    }
    return result;
}
/** Creates the key, retrying only where the manager certainly did not act. */
async function createOnce({ ws, clock }, body, maxAttempts) {
    const name = (0,redaction/* logSafe */.sN)(body.keyName);
    for (let attempt = 1;; attempt++) {
        try {
            const { secretKey, key } = await ws.createKey(body);
            if (!key) {
                const found = await ws.findKeyByName(body.keyName);
                if (!found)
                    throw new Error(`POST /apikeys answered with a secret but no key, and no key named "${name}" can be found.`);
                return { secretKey, key: found };
            }
            core/* info */.pq(`Created ${(0,resolve/* keyLabel */.w8)(key)}; its secret is masked`);
            return { secretKey, key };
        }
        catch (error) {
            if (!(error instanceof workload_security_error/* WorkloadSecurityError */.s))
                throw error;
            const decision = (0,client/* classifyIssuingError */.zL)(error);
            if (decision.retry && attempt < maxAttempts) {
                await clock.sleep((0,retry/* backoffDelay */.EY)(attempt, decision, { maxAttempts, clock }));
                continue;
            }
            if (!error.unclear)
                throw new Error(`${error.message} No key was created.`);
            const found = await ws.findKeyByName(body.keyName).catch(() => undefined);
            throw new Error(`The answer to creating key "${name}" was unclear (${error.message}). ` +
                (found
                    ? `${(0,resolve/* keyLabel */.w8)(found)} now exists, but its secret never reached this run and no GitHub secret was changed: delete it (operation delete, key-id ${found.ID}) and run create again.`
                    : `No key of that name could be found now, but a slow manager may still create it: check with operation describe (key-name "${name}") before running create again.`));
        }
    }
}

;// CONCATENATED MODULE: ./src/rotation.ts
/**
 * What only the operations that store a secret need (the GitHub client, libsodium, the
 * pipelines), in one module that main.ts loads on demand, so that other operations start
 * without it.
 */





/***/ })

};

//# sourceMappingURL=195.index.js.map