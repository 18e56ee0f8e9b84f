# crm: a plain Makefile (see README). Targets: all check bench demo lint install uninstall clean.
PREFIX ?= /usr/local
MANDIR ?= $(PREFIX)/share/man
CC ?= cc
# Every object lands under B (build/ by default, build/asan/ for the sanitized run).
B ?= build
PKGS = libgit2 libpcre2-8
# Paths are bounded (root by PATH_MAX, store paths by 200 bytes), so snprintf cannot truncate them.
WARN = -std=c17 -Wall -Wextra -Wpedantic -Wshadow -Wno-format-truncation
ifeq ($(CI),true)
WARN += -Werror
endif
CFLAGS ?= -O2 -g
ALL_CFLAGS = $(WARN) -D_GNU_SOURCE -Isrc/lib $(shell pkg-config --cflags $(PKGS)) $(CFLAGS)
# The CA bundle is parsed on first network use, not at every start (src/lib/tlsdefer.c).
TLSDEFER = -Wl,--undefined=mbedtls_x509_crt_parse_file -Wl,--export-dynamic-symbol=mbedtls_x509_crt_parse_file
# libgit2 and the libraries only it uses are linked in when their archives are
# installed (they come with libgit2-dev and libmbedtls-dev), into a position-
# dependent executable: a command then maps libc alone and relocates a few
# hundred symbols instead of 18,000, which on a virtual machine is much of a
# one-record write and of a small list (measured: 355 -> 265 page faults from
# -no-pie alone). GSSAPI has no archive: src/static/nogss.c stands in for it
# (no Kerberos for HTTP remotes). STATIC_GIT=no links all shared.
STATIC_GIT ?= yes
STATIC_ARCHIVES = libgit2.a libhttp_parser.a libssh2.a libcrypto.a libpcre2-8.a libz.a libcsv.a \
	libmbedtls.a libmbedx509.a libmbedcrypto.a libdeflate.a
STATIC_FOUND := $(if $(filter yes,$(STATIC_GIT)),$(foreach a,$(STATIC_ARCHIVES),$(shell $(CC) -print-file-name=$(a))))
ifneq ($(STATIC_FOUND),)
ifeq ($(filter-out /%,$(STATIC_FOUND)),)
STATIC_OBJ = $(B)/static/nogss.o
ALL_CFLAGS += -DCRM_TLS_WRAP
LIBS = -no-pie $(STATIC_OBJ) -Wl,--undefined=__wrap_mbedtls_x509_crt_parse_file -Wl,--wrap=mbedtls_x509_crt_parse_file \
	-Wl,--wrap=git_mbedtls_stream_global_init -Wl,--wrap=libssh2_init \
	-Wl,-Bstatic -lgit2 -lhttp_parser -lssh2 -lcrypto -lpcre2-8 -ldeflate -lz -lcsv -lmbedtls -lmbedx509 -lmbedcrypto \
	-Wl,-Bdynamic -lrt -ldl -pthread
endif
endif
LIBS ?= $(TLSDEFER) $(shell pkg-config --libs $(PKGS)) -lcsv -ldeflate -lcrypto -lz
SAN = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

CMDS = crm crm-customer crm-visit crm-stock crm-ar crm-order crm-report
HDRS = $(wildcard src/lib/*.h)
LIBOBJ = $(patsubst src/lib/%.c,$(B)/lib/%.o,$(wildcard src/lib/*.c))
UNITS = $(patsubst tests/unit/%.c,$(B)/unit/%,$(wildcard tests/unit/*.c))

# Shell completion, printed by each command from its own verb table (src/lib/complete.c).
COMPLETION = $(foreach c,$(CMDS),share/completion/$(c).bash share/completion/$(c).zsh)

all: $(addprefix bin/,$(CMDS)) $(COMPLETION)

bin/%: $(B)/bin/%
	@mkdir -p bin
	cp $< $@

share/completion/%.bash: bin/%
	@mkdir -p $(@D)
	$< --completion bash >$@

share/completion/%.zsh: bin/%
	@mkdir -p $(@D)
	$< --completion zsh >$@

$(B)/lib/%.o: src/lib/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/%.o: src/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/libcrm.a: $(LIBOBJ)
	$(AR) rcs $@ $^

$(B)/bin/%: $(B)/%.o $(B)/libcrm.a $(STATIC_OBJ)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libcrm.a $(LIBS)

$(B)/unit/%: tests/unit/%.c tests/unit/tap.h $(B)/libcrm.a $(STATIC_OBJ)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libcrm.a $(LIBS)

$(B)/gen: bench/gen.c bench/seg.h $(B)/libcrm.a $(STATIC_OBJ)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libcrm.a $(LIBS)

tools: $(addprefix $(B)/bin/,$(CMDS)) $(UNITS)

# The same tests twice: as built, then built again with ASan and UBSan.
check: all tools lint
	CRM_BIN=$(CURDIR)/$(B)/bin CRM_UNIT=$(CURDIR)/$(B)/unit prove -f tests/*.t
	$(MAKE) --no-print-directory B=build/asan CFLAGS="$(SAN)" LDFLAGS="-fsanitize=address,undefined" tools
	CRM_BIN=$(CURDIR)/build/asan/bin CRM_UNIT=$(CURDIR)/build/asan/unit \
		ASAN_OPTIONS=detect_leaks=0:verify_asan_link_order=0 UBSAN_OPTIONS=print_stacktrace=1 prove -f tests/*.t

lint:
	mandoc -Tlint -Wwarning man/*.[1-8]

demo: all
	sh share/demo.sh

bench: all $(B)/gen
	sh bench/run.sh
	sh bench/regex.sh
	sh bench/stock.sh
	sh bench/ar.sh
	sh bench/report.sh
	sh bench/sync.sh
	sh bench/history.sh

BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions

install: all
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7
	mkdir -p $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	cp $(addprefix bin/,$(CMDS)) $(DESTDIR)$(PREFIX)/bin/
	for c in $(CMDS); do \
		cp share/completion/$$c.bash $(DESTDIR)$(BASHCOMPDIR)/$$c && \
		cp share/completion/$$c.zsh $(DESTDIR)$(ZSHCOMPDIR)/_$$c || exit 1; \
	done
	cp man/*.1 $(DESTDIR)$(MANDIR)/man1/
	cp man/*.5 $(DESTDIR)$(MANDIR)/man5/
	cp man/*.7 $(DESTDIR)$(MANDIR)/man7/

uninstall:
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/bin/,$(CMDS))
	rm -f $(addprefix $(DESTDIR)$(BASHCOMPDIR)/,$(CMDS)) $(addprefix $(DESTDIR)$(ZSHCOMPDIR)/_,$(CMDS))
	cd man && for m in *.[1-8]; do rm -f $(DESTDIR)$(MANDIR)/man$${m##*.}/$$m; done

clean:
	rm -rf bin build share/completion

.PHONY: all tools check lint demo bench install uninstall clean
.SECONDARY:

# libFuzzer harnesses (clang): `make fuzz FUZZ_SECONDS=N` runs each for N seconds,
# growing a corpus under $(B)/fuzz from the seeds in fuzz/corpus/NAME.
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
FUZZERS = csv csvin money date filter terms
FUZZ_SRC = $(addprefix src/lib/,csvread.c csvin.c csvwrite.c text.c bulkmem.c err.c money.c date.c filter.c terms.c)
FUZZ_FLAGS = -Wno-unknown-warning-option -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined

$(B)/fuzz/%: fuzz/%.c $(FUZZ_SRC) $(HDRS) $(STATIC_OBJ)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(WARN) -D_GNU_SOURCE -Isrc/lib $(shell pkg-config --cflags $(PKGS)) $(FUZZ_FLAGS) -o $@ $< $(FUZZ_SRC) $(LIBS)

fuzz: $(addprefix $(B)/fuzz/,$(FUZZERS))
	for f in $(FUZZERS); do \
		mkdir -p $(B)/fuzz/$$f.corpus && \
		$(B)/fuzz/$$f -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=$(B)/fuzz/$$f- \
			$(B)/fuzz/$$f.corpus fuzz/corpus/$$f || exit 1; \
	done

.PHONY: fuzz
