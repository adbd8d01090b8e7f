# syntax=docker/dockerfile:1
# Multi-stage build: compile in the Rust image, ship only the binary on distroless (glibc and CA
# certificates, no shell, no package manager), running as the unprivileged "nonroot" user.

FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p tenant-api \
    && strip target/release/tenant-api

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /src/target/release/tenant-api /usr/local/bin/tenant-api
# Listen on every interface inside the container; keep state in the nonroot user's home
# (mount a volume there, or set DATABASE_URL to PostgreSQL and COGNITO_* for AWS).
ENV BIND_ADDR=0.0.0.0:8000 \
    DATA_DIR=/home/nonroot/data \
    LOG_FORMAT=json
EXPOSE 8000
# 65532 is distroless's "nonroot" user.
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/tenant-api"]
CMD ["serve"]
