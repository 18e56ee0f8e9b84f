# bench/genhist.awk: a git fast-import stream of n commits, each a one-line
# edit of one customer in its shard (customers/000/NNNNNN.csv, crm's layout),
# five minutes apart from t0, on top of commit `from` (crm init's). cust
# customers with ids 25, 50, ... so a shard holds 20 of them and the stream
# stays small; every 100th commit edits customer number `target`.
#   awk -v n=100000 -v cust=1000 -v target=500 -v seed=42 -v t0=EPOCH -v from=SHA -f genhist.awk
BEGIN {
	srand(seed)
	hdr = "id,name,phone,region,industry,grade,owner,source,status,terms,credit_limit,created,updated,tags,note"
	split("north south east west", reg, " ")
	split("A B C D", gr, " ")
	for (k = 1; k <= cust; k++) {
		sq = k * 25
		line[k] = sprintf("C%06d,Customer %d,010-%06d,%s,retail,%s,alice,web,active,n/30,,2025-01-01,2025-01-01,,", sq, sq, sq, reg[k % 4 + 1], gr[k % 4 + 1])
	}
	for (i = 1; i <= n; i++) {
		k = (i % 100 == 0) ? target : int(rand() * cust) + 1
		t = t0 + i * 300
		split(line[k], f, ",")
		f[6] = gr[i % 4 + 1]
		f[13] = strftime("%Y-%m-%d", t, 1)
		f[15] = "edit " i
		l = f[1]
		for (j = 2; j <= 15; j++) l = l "," f[j]
		line[k] = l
		sq = k * 25
		sh = int(sq / 500) * 500
		lo = int(sh / 25); if (lo < 1) lo = 1
		body = hdr "\n"
		for (m = lo; m <= cust && m * 25 < sh + 500; m++) if (m * 25 >= sh) body = body line[m] "\n"
		msg = sprintf("customer set C%06d grade=%s\n", sq, f[6])
		printf "commit refs/heads/main\ncommitter Bench <bench@example.com> %d +0000\ndata %d\n%s", t, length(msg), msg
		if (i == 1) printf "from %s\n", from
		printf "M 100644 inline customers/%03d/%06d.csv\ndata %d\n%s\n", int(sh / 100000), sh, length(body), body
	}
}
