# syntax=docker/dockerfile:1

# A typical two-stage Node.js image
FROM node:20-alpine AS deps
WORKDIR /app
COPY package*.json ./
RUN npm ci --omit=dev \
    # only production dependencies
    && npm cache clean --force

FROM node:20-alpine
ENV NODE_ENV=production \
    PORT=3000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY . .
EXPOSE ${PORT}
USER node
HEALTHCHECK --interval=30s CMD wget -qO- http://localhost:${PORT}/health || exit 1
CMD ["node", "server.js"]
