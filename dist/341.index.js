export const id = 341;
export const ids = [341];
export const modules = {

/***/ 5341:
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
// EXTERNAL MODULE: ./src/redaction.ts
var redaction = __webpack_require__(1066);
// EXTERNAL MODULE: ./src/http/http-error.ts
var http_error = __webpack_require__(8161);
// EXTERNAL MODULE: ./src/http/read-capped.ts
var read_capped = __webpack_require__(5382);
// EXTERNAL MODULE: ./src/http/retry-decisions.ts
var retry_decisions = __webpack_require__(5476);
// EXTERNAL MODULE: ./src/http/retry.ts
var retry = __webpack_require__(8902);
// EXTERNAL MODULE: ./src/version.ts + 1 modules
var version = __webpack_require__(1013);
// EXTERNAL MODULE: ./src/github/destination.ts
var github_destination = __webpack_require__(207);
;// CONCATENATED MODULE: ./src/github/secrets-client.ts









/** A failed GitHub call, with the destination and what the user must do about it. */
class GitHubSecretsError extends http_error/* HttpError */.j {
    constructor(message, options) {
        super(message, options);
        this.name = 'GitHubSecretsError';
    }
    /** GitHub answered an error status: it did not act. Unclear only without a proving answer. */
    get unclear() {
        return this.status === undefined || (this.status >= 200 && this.status < 300);
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
            decide: retry_decisions/* githubRetry */.kz
        };
    }
    /** The REST API base URL (GITHUB_API_URL). */
    get baseUrl() {
        return this.options.baseUrl;
    }
    async getPublicKey(destination) {
        const { data } = await this.request(destination, 'GET', `${(0,github_destination/* secretsPath */.z1)(destination)}/public-key`);
        if (typeof data?.key_id !== 'string' || typeof data.key !== 'string') {
            throw new GitHubSecretsError(`GitHub answered the public key of ${(0,github_destination/* destinationLabel */.f4)(destination)} without key_id and key`, {
                method: 'GET',
                path: `${(0,github_destination/* secretsPath */.z1)(destination)}/public-key`,
                status: 200
            });
        }
        return { key_id: data.key_id, key: data.key };
    }
    /**
     * The current visibility and selected repositories of an organization secret; undefined if
     * it does not exist yet. Paging is bounded and stops on a page that repeats.
     */
    async getOrganizationSecretAccess(destination, name) {
        const path = `${(0,github_destination/* secretsPath */.z1)(destination)}/${name}`;
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
        return new GitHubSecretsError(`GET ${path}: ${what}; the secret's repository list could not be read, so nothing was changed.`, { method: 'GET', path, status: 200 });
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
                status: 200
            });
        }
        return data.id;
    }
    /** Creates or updates the secret; `created` when GitHub answered 201. */
    async putSecret(destination, name, sealed, access) {
        const path = `${(0,github_destination/* secretsPath */.z1)(destination)}/${name}`;
        const { status } = await this.request(destination, 'PUT', path, (0,github_destination/* secretWriteBody */.OU)(sealed, access));
        if (status === 201)
            return 'created';
        if (status === 204)
            return 'updated';
        // GitHub documents 201 and 204 only: anything else does not prove the secret was stored.
        throw new GitHubSecretsError(`PUT ${path} answered HTTP ${status}, not 201 or 204: whether GitHub stored the secret is not known`, { method: 'PUT', path, status });
    }
    /** Deletes the secret; one that does not exist counts as deleted. */
    async deleteSecret(destination, name) {
        const path = `${(0,github_destination/* secretsPath */.z1)(destination)}/${name}`;
        let status;
        try {
            ;
            ({ status } = await this.request(destination, 'DELETE', path));
        }
        catch (error) {
            if (error instanceof http_error/* HttpError */.j && error.status === 404)
                return;
            throw error;
        }
        if (status !== 204) {
            throw new GitHubSecretsError(`DELETE ${path} answered HTTP ${status}, not 204: whether GitHub deleted the secret is not known`, { method: 'DELETE', path, status });
        }
    }
    /** One call with retries; the answer's status and parsed body. */
    request(destination, method, path, body) {
        const { clock, request } = this.options;
        return (0,retry/* withRetry */.bD)(async () => {
            const write = method === 'PUT' || method === 'DELETE' ? await this.paceWrite() : undefined;
            const started = clock.now();
            const deadline = clock.deadline(request.timeoutMs);
            try {
                const response = await this.octokit.request(`${method} ${path}`, {
                    ...body,
                    request: { signal: deadline.signal }
                });
                core/* debug */.Yz(`GitHub ${method} ${path} -> ${response.status} (${clock.now() - started} ms)`);
                return { status: response.status, data: response.data };
            }
            catch (error) {
                throw toGitHubError(error, destination, method, path, clock.now);
            }
            finally {
                deadline.clear();
                if (write)
                    write.until = clock.now() + 60_000;
            }
        }, this.retryPolicy);
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
/** Maps an Octokit failure to what the user must do. */
function toGitHubError(error, destination, method, path, now) {
    const failure = error;
    const where = (0,github_destination/* destinationLabel */.f4)(destination);
    const request = `${method} ${path}`;
    if (!failure.response) {
        const name = error?.name;
        const reason = name === 'TimeoutError' || name === 'AbortError'
            ? 'no complete answer in time'
            : (0,redaction/* untrusted */.bp)((0,redaction/* errorText */.kc)(error));
        return new GitHubSecretsError(`${request} failed: ${reason}`, { method, path, cause: error });
    }
    const status = failure.status ?? 0;
    const headers = failure.response.headers ?? {};
    const message = failure.response.data?.message;
    const serverMessage = typeof message === 'string' ? (0,redaction/* untrusted */.bp)(message) : '';
    const said = `${request} answered HTTP ${status}${serverMessage ? `: ${serverMessage.replace(/[.\s]+$/, '')}` : ''}`;
    const options = { method, path, status, serverMessage, cause: error };
    const limit = rateLimit(status, headers, serverMessage, now);
    if (limit) {
        return new GitHubSecretsError(`${said} (GitHub rate limit)`, {
            ...options,
            rateLimited: true,
            retryAfterMs: limit.retryAfterMs
        });
    }
    if (status >= 500)
        return new GitHubSecretsError(said, options);
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
    return new GitHubSecretsError(`${said}. ${advice}`, options);
}
/**
 * GitHub's primary and secondary limits answer 403 or 429: the wait GitHub asks for
 * (retry-after, else x-ratelimit-reset when nothing remains), or no time named; undefined when
 * the answer is no rate limit.
 */
function rateLimit(status, headers, serverMessage, now) {
    if (status !== 403 && status !== 429)
        return undefined;
    const retryAfterMs = (0,retry/* parseRetryAfter */.mu)(headers['retry-after'], now);
    if (retryAfterMs !== undefined)
        return { retryAfterMs };
    if (headers['x-ratelimit-remaining'] === '0' && headers['x-ratelimit-reset']) {
        const resetMs = Number(headers['x-ratelimit-reset']) * 1000 - now();
        return { retryAfterMs: Math.max(resetMs, 1000) };
    }
    if (status === 429 || /rate limit/i.test(serverMessage))
        return {};
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

// EXTERNAL MODULE: ./src/dates.ts
var dates = __webpack_require__(7718);
// EXTERNAL MODULE: ./src/github/delivery.ts + 3 modules
var github_delivery = __webpack_require__(7736);
// EXTERNAL MODULE: ./src/operations/resolve.ts
var resolve = __webpack_require__(3646);
// EXTERNAL MODULE: ./src/operations/phase.ts
var phase = __webpack_require__(669);
// EXTERNAL MODULE: ./src/cancellation.ts
var cancellation = __webpack_require__(4632);
;// CONCATENATED MODULE: ./src/operations/store-secret.ts






/** Stores `issued` through `delivery`; throws when a destination or the verification failed. */
async function storeSecret(context, delivery, issued, verify) {
    const { result } = context;
    const writes = delivery.labels.map((label) => ({ label, status: 'unclear' }));
    const { verification, cancelled } = await (0,phase/* phase */.O)('Store and verify', context, async () => {
        const copies = await delivery.seal(issued.secret);
        result.destinations = writes;
        try {
            const [, verification] = await (0,cancellation/* unlessCancelled */.MS)(Promise.all([
                delivery.write(copies, (i, outcome) => (writes[i] = outcome)),
                verifySecret(context.platform, issued, verify)
            ]));
            await delivery.abort();
            return { verification };
        }
        catch (error) {
            if (!(error instanceof cancellation/* CancelledError */.cc))
                throw error;
            return { verification: { ok: false, message: '' }, cancelled: error };
        }
    });
    result.verified = verification.ok && !verification.skipped;
    result.note(`stored in ${result.secretsUpdated} of ${writes.length} secret(s)`);
    if (cancelled) {
        throw new Error(`Cancelled (${cancelled.signal}) while storing the new secret of ${(0,resolve/* keyLabel */.w8)(issued.key)}. ${(0,github_delivery/* holdersReport */.Cb)(writes)} ` +
            'Store it in every destination that does not hold it with the commands printed above (the ciphertext can only be opened by GitHub).', { cause: cancelled });
    }
    const unstored = writes.filter((w) => !(0,github_delivery/* isStored */.mL)(w));
    if (unstored.length > 0) {
        const report = (0,github_delivery/* holdersReport */.Cb)(writes);
        core/* error */.z3(report);
        throw new Error(`The new secret was issued, but ${unstored.length} of ${writes.length} destination(s) did not confirm the write. ` +
            `${report} Replay those writes with the commands printed above (the ciphertext can only be opened by GitHub).`);
    }
    if (!verification.ok) {
        throw new Error(`${verification.message} The new secret is stored in ${writes.map((w) => w.label).join(', ')}.`);
    }
}
/** Proves that the new secret authenticates as its key. */
async function verifySecret(platform, { secret, key }, verify) {
    if (!verify) {
        core/* info */.pq('verify: false; the new secret was not tested');
        return { ok: true, skipped: true };
    }
    if (!key.active) {
        core/* notice */.lm(`${(0,resolve/* keyLabel */.w8)(key)} is locked (active: false) and cannot authenticate: verification skipped`);
        return { ok: true, skipped: true };
    }
    try {
        await platform.verifySecret(secret, key);
        core/* info */.pq(`Verified: the new secret authenticates as key ${key.id}`);
        return { ok: true, skipped: false };
    }
    catch (error) {
        return {
            ok: false,
            message: `Verification failed: the new secret did not authenticate as key ${key.id} (${(0,redaction/* errorText */.kc)(error)}); check the key on the manager before relying on it.`
        };
    }
}

;// CONCATENATED MODULE: ./src/operations/create.ts








/*
 * create: a new key whose secret goes straight into GitHub secrets. Preflight (the role, that no
 * key has the name yet, every destination readable and writable) changes nothing; then the key
 * is created once (retried only where the platform certainly did not act), stored like a
 * rotation's secret, and verified. When no destination could store it, the key is deleted:
 * nothing can depend on it.
 */
async function create(settings, context) {
    const { platform, github, clock, result } = context;
    const { store } = settings;
    const name = (0,redaction/* logSafe */.sN)(settings.keyName);
    result.secretName = store.secretName;
    const { role, delivery } = await (0,phase/* phase */.O)('Preflight', context, async () => {
        const [role, existing, delivery] = await Promise.all([
            (0,resolve/* resolveRole */.fy)(platform, settings.role),
            platform.findKeyByName(settings.keyName),
            (0,github_delivery/* prepareDelivery */.QF)(github, store)
        ]);
        if (existing) {
            throw new Error(`An API key named "${name}" already exists (${(0,resolve/* keyLabel */.w8)(existing)}); choose another key-name. Nothing was changed.`);
        }
        core/* info */.pq(`Creating key "${name}" with role ${(0,resolve/* roleLabel */.bR)(role)}; its secret goes to ${delivery.labels.length} destination(s) as ${store.secretName}`);
        return { role, delivery };
    });
    const newKey = {
        name: settings.keyName,
        description: settings.description,
        role,
        ...(settings.expiryDays !== undefined && {
            expiresAt: clock.now() + settings.expiryDays * dates/* DAY_MS */.sO
        })
    };
    result.key = {
        id: '',
        name: newKey.name,
        description: newKey.description,
        role,
        active: true,
        expiresAt: newKey.expiresAt
    };
    result.role = role;
    result.expirySet = newKey.expiresAt;
    if (settings.dryRun) {
        result.destinations = delivery.labels.map((label) => ({ label, status: 'planned' }));
        result.note(`would create key "${name}" and write its secret to ${delivery.labels.length} secret(s)`);
        core/* info */.pq("Dry run: the role and every destination's public key were read; nothing was written and no key was created (write access is proven by a real run only)");
        return;
    }
    await (0,phase/* phase */.O)('Preflight write', context, () => delivery.proveWriteAccess(undefined));
    let issued;
    try {
        issued = await (0,phase/* phase */.O)('Create', context, () => createKey(platform, newKey));
    }
    catch (error) {
        await delivery.abort();
        throw error;
    }
    result.key = issued.key;
    result.change(`created ${(0,resolve/* keyLabel */.w8)(issued.key)}`);
    try {
        await storeSecret(context, delivery, issued, store.verify);
    }
    catch (error) {
        const writes = result.destinations ?? [];
        if (writes.length === 0 || writes.some((d) => d.status !== 'failed'))
            throw error;
        // GitHub refused every write: nothing can depend on the key, so it goes. (A write whose
        // answer never arrived may have landed: then the key stays.)
        const cleanup = await platform
            .deleteKey(issued.key.id)
            .then(() => `The new key ${issued.key.id} was deleted again.`)
            .catch((e) => `Deleting the new key ${issued.key.id} failed too (${(0,redaction/* errorText */.kc)(e)}): delete it by hand (operation delete, key-id ${issued.key.id}).`);
        result.note(cleanup);
        throw new Error(`GitHub refused every write of the new key's secret: ${(0,github_delivery/* holdersReport */.Cb)(writes)} ${cleanup} Fix the cause and run create again.`, { cause: error });
    }
}
/** Creates the key once: its secret (masked) and the key. */
async function createKey(platform, newKey) {
    const name = (0,redaction/* logSafe */.sN)(newKey.name);
    let issued;
    try {
        issued = await platform.createKey(newKey);
    }
    catch (error) {
        if (!(error instanceof http_error/* HttpError */.j))
            throw error;
        if (!error.unclear)
            throw new Error(`${error.message} No key was created.`, { cause: error });
        const found = await platform.findKeyByName(newKey.name).catch(() => undefined);
        throw new Error(`The answer to creating key "${name}" was unclear (${error.message}). ` +
            (found
                ? `${(0,resolve/* keyLabel */.w8)(found)} now exists, but its secret never reached this run and no GitHub secret was changed: delete it (operation delete, key-id ${found.id}) and run create again.`
                : `No key of that name could be found now, but a slow manager may still create it: check with operation describe (key-name "${name}") before running create again.`), { cause: error });
    }
    let key = issued.key;
    if (!key) {
        key = await platform.findKeyByName(newKey.name);
        if (!key)
            throw new Error(`The platform answered with a secret but no key, and no key named "${name}" can be found.`);
    }
    core/* info */.pq(`Created ${(0,resolve/* keyLabel */.w8)(key)}; its secret is masked`);
    return { secret: issued.secret, key };
}

;// CONCATENATED MODULE: ./src/operations/issue-secret.ts




/** Issues a new secret for `key`: the secret (masked) and the key as the platform returned it. */
async function regenerateSecret(platform, key, options) {
    let issued;
    try {
        issued = await platform.regenerateSecret(key, options.authenticating);
    }
    catch (error) {
        if (!(error instanceof http_error/* HttpError */.j))
            throw error;
        if (!error.unclear)
            throw new Error(`${error.message} The key's secret was not changed.`, { cause: error });
        throw new Error(await unclearOutcome(platform, key, error, options), { cause: error });
    }
    core/* info */.pq(`The manager issued a new secret for ${(0,resolve/* keyLabel */.w8)(key)} (masked)`);
    // The key ID is known from preflight; verification decides whether the secret works.
    return { secret: issued.secret, key: issued.key?.id === key.id ? issued.key : key };
}
/** What is known after an unclear answer to a regeneration, and what to do. */
async function unclearOutcome(platform, key, cause, options) {
    const unclear = `The answer to the regeneration of ${(0,resolve/* keyLabel */.w8)(key)}'s secret was unclear (${cause.message}).` +
        ' No second secret was issued: a slow manager may still complete the first request, which would kill any secret issued after it.';
    if (options.idle) {
        return (`${unclear} This harms nobody: the destinations still hold the live key of the pair, which keeps working. ` +
            'No GitHub secret was changed. Run the rotation again.');
    }
    if (!options.authenticating) {
        return (`${unclear} The manager may have issued a new secret whose answer was lost: key ${key.id}'s previous secret may no longer work, and no GitHub secret was changed. ` +
            `To recover: run this rotation again (with key-id ${key.id}); it issues a fresh secret and stores it.`);
    }
    try {
        await platform.getAuthenticatingKey();
    }
    catch (error) {
        if (error instanceof http_error/* HttpError */.j && error.rejected) {
            return (`${unclear} The previous secret no longer authenticates: the manager issued a new secret that never reached this run, and no GitHub secret was changed. ` +
                'To recover: with a key whose role may edit API keys, run this action with operation rotate and key-id ' +
                `${key.id} (or issue a new secret for the key in the console) and store the result.`);
        }
        return (`${unclear} Whether the previous secret still works could not be checked (${(0,redaction/* errorText */.kc)(error)}). ` +
            `If it no longer works, issue a new secret for key ${key.id} with another admin key (operation rotate, key-id ${key.id}).`);
    }
    return (`${unclear} The previous secret still authenticated when checked, and no GitHub secret was changed; ` +
        `if the manager completes the request later, the previous secret stops working. Run the rotation again once the manager answers normally; ` +
        `if the key is then locked out, rotate it with another admin key (operation rotate, key-id ${key.id}).`);
}

;// CONCATENATED MODULE: ./src/operations/rotate.ts









/*
 * Rotation, in an order that never leaves the only copy of the new secret in a process about
 * to fail: preflight (resolve the key, read every destination's public key, prove write
 * access) changes nothing a consumer notices; then the expiry, then one regeneration, then the
 * sealed copies are printed and every destination written while the secret is verified.
 * `alternate` regenerates the idle key of a pair, so the live key keeps working.
 */
/** Rotates a key's secret (or a pair's idle key's) into every destination. */
async function rotate(settings, context) {
    const { platform, github, result } = context;
    const { store } = settings;
    result.secretName = store.secretName;
    const { key, authenticating, live, delivery } = await (0,phase/* phase */.O)('Preflight', context, async () => {
        const [target, delivery] = await Promise.all([
            settings.strategy === 'alternate'
                ? choosePair(settings, context)
                : (0,resolve/* resolveKeyAndAuthenticating */.V8)(platform, settings.selector).then((k) => ({
                    ...k,
                    live: undefined
                })),
            (0,github_delivery/* prepareDelivery */.QF)(github, store)
        ]);
        const { key, authenticating, live } = target;
        core/* info */.pq(`Rotating ${(0,resolve/* keyLabel */.w8)(key)}${authenticating ? ' (the key this action authenticates with)' : ''}` +
            `${live ? ` (idle key of the pair; ${(0,resolve/* keyLabel */.w8)(live)} is live and stays untouched)` : ''}` +
            ` into ${delivery.labels.length} destination(s) as ${store.secretName}`);
        return { ...target, delivery };
    });
    result.key = key;
    result.previousKey = live;
    if (settings.dryRun) {
        result.destinations = delivery.labels.map((label) => ({ label, status: 'planned' }));
        result.note(`would ${settings.expiryDays ? `set the expiry to ${settings.expiryDays} days from now, ` : ''}issue a new secret and write it to ${delivery.labels.length} secret(s)`);
        core/* info */.pq('Dry run: every destination is readable; nothing was written and no secret was issued');
        return;
    }
    await (0,phase/* phase */.O)('Preflight write', context, () => delivery.proveWriteAccess(authenticating ? settings.connection.apiSecretKey : undefined));
    let issued;
    try {
        issued = await (0,phase/* phase */.O)('Regenerate', context, async () => {
            if (settings.expiryDays !== undefined) {
                const expiresAt = await setExpiry(context, key, settings.expiryDays);
                result.expirySet = expiresAt;
                result.key = { ...key, expiresAt };
                result.change(`expiry set to ${(0,dates/* isoDate */._$)(expiresAt)}`);
            }
            return regenerateSecret(platform, result.key, { authenticating, idle: live !== undefined });
        });
    }
    catch (error) {
        await delivery.abort();
        throw error;
    }
    result.key = issued.key;
    result.change(live
        ? `issued a new secret for the idle key ${key.id} (key ${live.id} keeps working until its own expiry)`
        : 'issued a new secret (the previous secret no longer works)');
    await storeSecret(context, delivery, issued, store.verify);
}
/**
 * Sets the key's expiry to now + `days` (also for the authenticating key, through its ID: the
 * authenticating key's own path may not change it). Nothing else has changed if this fails.
 */
async function setExpiry({ platform, clock }, key, days) {
    const expiresAt = clock.now() + days * dates/* DAY_MS */.sO;
    try {
        await platform.updateKey(key.id, { expiresAt });
    }
    catch (error) {
        // The change is absolute: after an unclear answer, the key itself says whether it landed.
        const unclear = error instanceof http_error/* HttpError */.j && error.unclear;
        const landed = unclear &&
            (await platform.getKey(key.id).then((k) => k.expiresAt === expiresAt, () => false));
        if (!landed) {
            const rights = error instanceof http_error/* HttpError */.j && error.rejected
                ? ` Setting expiry-days needs a role that may edit API keys ("Edit API key properties").`
                : '';
            const state = unclear
                ? ` The key's expiry may or may not be ${(0,dates/* isoDate */._$)(expiresAt)} now; its secret was not changed.`
                : " Nothing was changed: the key's expiry and secret are as they were.";
            throw new Error(`${(0,redaction/* errorText */.kc)(error)}${rights}${state}`, { cause: error });
        }
    }
    core/* info */.pq(`Set the expiry of ${(0,resolve/* keyLabel */.w8)(key)} to ${(0,dates/* isoDate */._$)(expiresAt)}`);
    return expiresAt;
}
/**
 * `alternate`: resolves both keys of the pair. The idle key (earlier expiry; none counts as
 * earliest; a tie goes to the lower ID) gets the new secret; it must be active and must not
 * be the authenticating key.
 */
async function choosePair(settings, { platform, clock }) {
    const now = clock.now();
    const [first, second, authenticatingKey] = await Promise.all([
        (0,resolve/* resolveKey */.oO)(platform, settings.pair[0]),
        (0,resolve/* resolveKey */.oO)(platform, settings.pair[1]),
        platform.getAuthenticatingKey()
    ]);
    if (first.id === second.id) {
        throw new Error(`strategy alternate needs two different keys; both name ${(0,resolve/* keyLabel */.w8)(first)}. Nothing was changed.`);
    }
    const expiry = (k) => k.expiresAt ?? -Infinity;
    const [idle, live] = expiry(first) < expiry(second) ||
        (expiry(first) === expiry(second) && (0,resolve/* compareKeyIds */.jk)(first.id, second.id) < 0)
        ? [first, second]
        : [second, first];
    if (!idle.active) {
        throw new Error(`The idle key of the pair, ${(0,resolve/* keyLabel */.w8)(idle)}, is locked (active: false): somebody locked it on purpose. ` +
            'Unlock it (operation unlock) if it should take its turn. Nothing was changed.');
    }
    if (idle.id === authenticatingKey.id) {
        throw new Error(`The idle key of the pair, ${(0,resolve/* keyLabel */.w8)(idle)}, is the key this action authenticates with: regenerating it would cut this run off. ` +
            'Authenticate with another key (an admin key, or the live key of the pair). Nothing was changed.');
    }
    core/* info */.pq(`Pair: ${(0,resolve/* keyLabel */.w8)(idle)} is idle (expiry ${expiryText(idle)}), ${(0,resolve/* keyLabel */.w8)(live)} is live (expiry ${expiryText(live)})`);
    // The idle key's expiry was set less than a day ago: it was stored then, and jobs that read
    // it since may still be running when its secret is replaced now.
    if (idle.expiresAt !== undefined && idle.expiresAt > now + (settings.expiryDays - 1) * dates/* DAY_MS */.sO) {
        core/* warning */.$e(`${(0,resolve/* keyLabel */.w8)(idle)} was rotated less than a day ago: jobs that read it since then lose their credential now. ` +
            'Space alternating rotations further apart than your longest job and its queue time.');
    }
    return { key: idle, authenticating: false, live };
}
function expiryText(key) {
    return key.expiresAt === undefined ? 'none' : (0,dates/* isoDate */._$)(key.expiresAt);
}

;// CONCATENATED MODULE: ./src/rotation.ts
/**
 * What only the operations that store a secret need (the GitHub client, libsodium, the
 * delivery), in one module that main.ts loads on demand, so that other operations start
 * without it.
 */





/***/ })

};

//# sourceMappingURL=341.index.js.map