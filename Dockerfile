# One image for every service: the sources run through SWC on load (tools/ts-register.cjs).
# docker build --build-arg SERVICE=intake-service -t onestop/intake-service .
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production NX_DAEMON=false
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.base.json .swcrc ./
COPY tools ./tools
COPY libs ./libs
COPY apps ./apps
ARG SERVICE
ENV SERVICE=${SERVICE}
USER node
CMD ["sh", "-c", "exec node -r ./tools/ts-register.cjs apps/${SERVICE}/src/main.ts"]
