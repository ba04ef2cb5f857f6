# Thin wrapper over the npm scripts and docker compose (DESIGN.md section 8).
SERVICES := turkic-api data-bank-api qr-api transcript-api handwriting-ai model-trainer music-wrapped-api

.PHONY: up test check lint typecheck build bench infra down status logs $(addprefix up-,$(SERVICES))

up:            ## run the whole platform locally (Ctrl-C stops it)
	npm run up
test:          ## lint + typecheck + every test
	npm test
check:
	npm run check
lint:
	npm run lint
typecheck:
	npm run typecheck
build:
	npm run build
bench:         ## make bench NAME=jobs
	npm run bench -- $(NAME)

infra:         ## shared Docker infrastructure: platform-redis + gateway on platform-network
	docker compose up -d

$(addprefix up-,$(SERVICES)): up-%: infra
	@if [ -f services/$*/docker-compose.yml ]; then docker compose -f services/$*/docker-compose.yml up -d --build; \
	else echo "services/$* does not exist yet"; fi

down:
	@for svc in $(SERVICES); do \
	  if [ -f services/$$svc/docker-compose.yml ]; then docker compose -f services/$$svc/docker-compose.yml down; fi; \
	done
	docker compose down

status:
	docker ps --filter network=platform-network --format 'table {{.Names}}\t{{.Status}}\t{{.Ports}}'

logs:
	docker compose logs -f
