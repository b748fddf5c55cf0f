# syntax=docker/dockerfile:1
# The shipshape CLI as a container image. Build from the repository root, run on a checkout:
#   docker build -t shipshape .
#   docker run --rm -v "$PWD:/work" shipshape lint --format sarif .

# Build stage: the dependencies package-lock.json pins, then the bundles that ship (dist/).
FROM node:24-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# No install script runs (none is needed to bundle), and neither does the project's own `prepare`
# (type-checking and compiling the tests): the next step bundles only what ships.
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund
COPY . .
# The npm package's layout: dist/ with the bundles and the shell grammar, docs/ with the rule pages.
RUN node esbuild.mjs && node scripts/stage-cli-package.mjs

# Runtime: Node.js on distroless (no shell, no package manager), as its unprivileged user.
# shipshape-ignore healthcheck-present -- a one-shot CLI: it exits when the lint is done, so there is no running service to probe
FROM gcr.io/distroless/nodejs24-debian12:nonroot
COPY --from=build /src/packages/cli/ /opt/shipshape/
USER nonroot
WORKDIR /work
ENTRYPOINT ["/nodejs/bin/node", "/opt/shipshape/dist/cli.js"]
CMD ["lint", "."]
