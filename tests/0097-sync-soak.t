#!/bin/sh
# Soak: three clones and a bare remote; each round every clone edits records
# (a field of its own, and a field all three share), logs visits and archives,
# then all three sync at once, and in some rounds one sync is killed (-9)
# half-way. Afterwards every clone holds the same store, which equals a model
# of every edit: nothing lost, a field only one clone writes is exactly its
# last value, every visit is there once, and conflicts arise only on the
# shared field, each listed once.
. "${0%/*}/lib.sh"

ROUNDS=${CRM_SOAK_ROUNDS:-10}
SEED=${CRM_SOAK_SEED:-$$}
say "rounds $ROUNDS, seed $SEED (CRM_SOAK_SEED replays)"

# rand N: R becomes a number in 0..N-1 from the seeded sequence (not in $(...): it must advance SEED).
rand() {
	SEED=$(( (SEED * 1103515245 + 12345) % 2147483648 ))
	R=$(( SEED / 65536 % $1 ))
}

# own field of each clone: nobody else writes it, so it never conflicts
own_field() {
	case $1 in a) echo phone ;; b) echo region ;; c) echo industry ;; esac
}

# edits CLONE ROUND: a few edits in the clone, each noted in ../model.CLONE
edits() {
	cd "$1" || return 1
	n=0
	while [ $n -lt 4 ]; do
		rand 6
		cust=$(printf "C%06d" $((R + 1)))
		rand 5
		case $R in
		0|1) f=$(own_field "$1"); v="$1-$2-$n"
		     crm-customer set "$cust" "$f=$v" >/dev/null 2>>../errs.$1 && echo "$cust $f $v" >>../model.$1 ;;
		2)   v="$1-$2-$n"
		     crm-customer set "$cust" "note=$v" >/dev/null 2>>../errs.$1 && echo "$cust note $v" >>../model.$1 ;;
		3)   rand 9
		     crm-visit log "$cust" "visit $1-$2-$n" --date 2026-11-0$((R + 1)) >/dev/null 2>>../errs.$1 &&
		     echo "visit $1-$2-$n" >>../visits.model ;;
		4)   if [ "$1" = c ] && [ "$cust" = C000006 ]; then
			crm-customer archive "$cust" >/dev/null 2>>../errs.$1 && echo "$cust status archived" >>../model.$1
		     fi ;;
		esac
		n=$((n + 1))
	done
	cd ..
}

test_expect_success 'setup: a store of six customers, a bare remote, three clones' '
	new_store home &&
	for i in 1 2 3 4 5 6; do crm-customer add "Firm $i" phone=10$i owner=o$i >/dev/null || exit 1; done &&
	git init -q --bare -b main ../srv.git && git remote add origin ../srv.git && crm sync >/dev/null &&
	cd .. && for c in a b c; do crm clone srv.git $c >/dev/null || exit 1; done &&
	: >visits.model
'

start=$(date +%s)
test_expect_success "$ROUNDS rounds of edits and concurrent syncs, some killed with -9" '
	r=1 &&
	while [ $r -le $ROUNDS ]; do
		for c in a b c; do edits $c $r; done &&
		victim=none &&
		if [ $((r % 3)) = 2 ]; then rand 3; victim=$(echo a b c | cut -d" " -f$((R + 1))); fi &&
		rand 9 && delay=0.0$((R + 1)) &&
		for c in a b c; do
			if [ $c = $victim ]; then
				(cd $c && timeout -s KILL $delay crm sync >/dev/null 2>&1; echo "$r $c killed $?" >>../syncs) &
			else
				(cd $c && crm sync >>../out.sync.$c 2>>../errs.sync.$c; echo "$r $c $?" >>../syncs) &
			fi
		done &&
		wait &&
		r=$((r + 1))
	done &&
	! grep -v " 0$\| 75$\|killed" syncs || { cat errs.sync.* >&2; false; }
'

test_expect_success 'settle: each clone syncs until none brings anything new' '
	for pass in 1 2 3; do
		for c in a b c; do (cd $c && crm sync >/dev/null 2>>../errs.settle) || exit 1; done
	done &&
	for c in b c; do
		test "$(git -C a rev-parse HEAD^{tree})" = "$(git -C $c rev-parse HEAD^{tree})" || exit 1
	done
'
end=$(date +%s)

test_expect_success 'every clone is whole: crm check passes, no temporary file, no journal' '
	for c in a b c; do
		(cd $c && crm check >../chk.$c 2>/dev/null && store_clean) || { cat chk.$c; exit 1; }
	done
'

test_expect_success 'a field one clone alone writes is exactly its last value' '
	cd a && crm-customer list -o csv --fields id,phone,region,industry,note,status >../final && cd .. &&
	for c in a b c; do
		f=$(own_field $c) &&
		col=$(case $f in phone) echo 2 ;; region) echo 3 ;; industry) echo 4 ;; esac) &&
		test -f model.$c || continue
		for cust in $(awk -v f=$f "\$2 == f { print \$1 }" model.$c | sort -u); do
			want=$(awk -v f=$f -v k=$cust "\$1 == k && \$2 == f { v = \$3 } END { print v }" model.$c) &&
			got=$(awk -F, -v k=$cust -v col=$col "\$1 == k { print \$col }" final) &&
			test "$got" = "$want" || { echo "$cust $f: $got, wanted $want" >&2; exit 1; }
		done
	done
'

test_expect_success 'every visit logged anywhere is there, once' '
	cd a && crm-visit list -o csv --fields id,summary >../v && cd .. &&
	sed 1d v | cut -d, -f2 | sort >v.have &&
	sort visits.model >v.want &&
	test_cmp v.want v.have &&
	test -z "$(sed 1d v | cut -d, -f1 | sort | uniq -d)"
'

test_expect_success 'the shared field holds a value someone wrote; conflicts only there, each once' '
	cat model.a model.b model.c 2>/dev/null >model.all &&
	for cust in $(awk "\$2 == \"note\" { print \$1 }" model.all | sort -u); do
		got=$(awk -F, -v k=$cust "\$1 == k { print \$5 }" final) &&
		grep -q "^$cust note $got$" model.all || { echo "$cust note $got: never written" >&2; exit 1; }
	done &&
	(cd a && crm conflicts -o csv >../conf) &&
	sed 1d conf >conf.rows &&
	test -z "$(cut -d, -f1 conf.rows | sort | uniq -d)" &&
	! awk -F, "\$4 != \"note\"" conf.rows | grep . &&
	say "conflicts listed: $(wc -l <conf.rows)"
'

test_expect_success 'archived stays archived with every later edit' '
	if grep -q "C000006 status archived" model.c; then grep -q "^C000006,.*,archived$" final; fi
'

edits=$(cat model.a model.b model.c visits.model 2>/dev/null | wc -l)
kills=$(grep -c killed syncs 2>/dev/null)
retries=$(grep -c " 75$" syncs 2>/dev/null)
conflicts=$(cd a && crm conflicts -o csv 2>/dev/null | sed 1d | wc -l)
again=$(cat out.sync.* 2>/dev/null | grep -c "merged again")
say "figures: $ROUNDS rounds, $edits edits, $kills syncs killed, $retries syncs busy (75), $again pushes refused and merged again, $conflicts conflicts listed, $((end - start)) s"
test_done
