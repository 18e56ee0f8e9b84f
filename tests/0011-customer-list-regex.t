#!/bin/sh
# crm-customer list FIELD~REGEX: whatever shortcut the reader takes (a search over
# whole files, each line judged by its values), it picks exactly the customers a
# plain per-value match picks, here perl's over every customer read in full.
. "${0%/*}/lib.sh"
CRM_USER=alice
export CRM_USER

# 1500 customers in four shards, deterministic: Chinese names, Latin ones with a
# comma (quoted), with a quote (doubled), a backslash or a line break (escaped),
# short ones, case variants; phones, regions, owners, tags with a comma, or empty.
gen_customers() {
	perl -CSD -Mutf8 -e '
	srand(7);
	my @city = ("北京", "上海", "杭州", "");
	my @brand = ("用友", "瑞丰", "华为", "鑫宏", "龙万");
	my @suf = ("科技有限公司", "有限公司", "电子有限公司", "贸易商行");
	my @lat = ("Acme", "Nova", "acme", "ACME", "Sun", "Blue", "Nor");
	my @form = ("Co., Ltd.", "Ltd.", "Inc.", "International Co., Ltd.", "LLC");
	my @odd = ("Say \"Hi\" Ltd.", "Back\\\\slash Inc.", "Line\\nBreak", "ABC", "北京人",
		"a,b", "Nova Labs", "xx", "Ltd.", "International");
	my @region = ("北京", "上海", "广东", "", "北京市");
	my @owner = ("alice", "bob", "li", "wang", "liwang", "");
	sub csvq { my $v = shift; return $v =~ /[",]/ ? "\"" . ($v =~ s/"/""/gr) . "\"" : $v }
	print "name,phone,region,owner,tags,note\n";
	for my $i (1 .. 1500) {
		my $r = rand;
		my $name = $r < 0.5 ? $city[rand @city] . $brand[rand @brand] . $suf[rand @suf]
			: $r < 0.9 ? $lat[rand @lat] . ("", "ex", "ora")[rand 3] . " " . ("Foods", "Tools", "Labs")[rand 3] . " " . $form[rand @form]
			: $odd[rand @odd];
		my $phone = (rand() < 0.3 ? "" : rand() < 0.5 ? "010-" . int(rand 90000000 + 10000000) : "13" . int(rand 900000000 + 100000000));
		my $tags = (rand() < 0.2 ? "a,b" : rand() < 0.5 ? "vip" : "");
		my $note = (rand() < 0.1 ? "fix x" : "");
		print join(",", csvq($name), $phone, $region[rand @region], $owner[rand @owner], csvq($tags), $note), "\n";
	}'
}

# ref FIELD REGEX [FIELD REGEX...]: the ids whose FIELD matches REGEX for every pair,
# from every customer read in full (no filter, so no shortcut), matched by perl.
ref() {
	crm-customer list -o json | perl -CSDA -MJSON::PP -ne '
		BEGIN { @t = @ARGV; @ARGV = (); $j = JSON::PP->new }
		my $r = $j->decode($_);
		my $ok = 1;
		for (my $i = 0; $i < @t; $i += 2) { $ok = 0 unless $r->{$t[$i]} =~ /$t[$i + 1]/ }
		print "$r->{id}\n" if $ok;' "$@"
}

# got TERM...: the ids crm-customer list prints for the terms.
got() {
	crm-customer list -o csv --fields id "$@" | tail -n +2
}

# same FIELD REGEX: crm and perl agree, and name how many matched.
same() {
	ref "$1" "$2" >want
	got "$1~$2" >have
	if ! test_cmp want have; then
		echo "differs for $1~$2" >&2
		return 1
	fi
	printf "%s~%s: %s\n" "$1" "$2" "$(wc -l <have)"
}

# each FIELD REGEX...: same for every REGEX, and none of them matched nothing
# (two empty lists would agree whatever the reader did).
each() {
	f=$1
	shift
	for re in "$@"; do
		same "$f" "$re" || return 1
	done >counts &&
	cat counts &&
	! grep -q ": 0\$" counts
}

test_expect_success 'setup: 1500 customers by import, four shards' '
	new_store s &&
	gen_customers >in.csv &&
	crm-customer import in.csv 2>err &&
	grep_q "1500 added" err &&
	test "$(ls customers/*/*.csv | wc -l)" = 4 &&
	grep -q "\"\"" customers/*/*.csv && grep -q "\\\\" customers/*/*.csv &&
	grep -q "^C[0-9]*,\"" customers/*/*.csv
'

test_expect_success 'anchored, alternations, classes, (?i): the same rows as per-value matching' '
	cd s &&
	each name "^Acme" "Ltd\\.\$" "(?i)^acme" "^(Acme|Nova) [A-Za-z]+" "科技有限公司\$" \
		"^[A-C]" "^[^A-Z]" "(?i)international" "International\$" "^International\$" \
		"北京.*公司" "^北京" "(?i)^(sun|blue)[a-z]* " "Co\\., Ltd\\.\$" ", " "^Nova Labs\$"
'

test_expect_success 'patterns without a literal, back-references, lookaround, \b' '
	cd s &&
	each name "^.{3}\$" "^.{2}\$" "^.{8,10}\$" "(.)\\1" "^(?:(?!有限).)*\$" "(?<=公)司\$" \
		"\\bLtd\\b" "^[A-Za-z]+\$" "^\\S+ \\S+ " "\$" "^" "^.*\$" "x(?=x)"
'

test_expect_success 'values with a quote, a backslash, a line break or a comma' '
	cd s &&
	each name "\"" "^Say \"Hi\"" "\\\\" "slash" "\\n" "^Line\\sBreak\$" "Break\$" "^a,b\$" ","
'

test_expect_success 'other fields: phone, region, owner, tags, note, empty values' '
	cd s &&
	each phone "^010-" "^1[3]" "8\$" "^\$" &&
	each region "^北京\$" "京" "^\$" &&
	each owner "^(li|wang)\$" "^li" &&
	each tags "^a,b\$" "," &&
	each note "x\$" &&
	each id "9\$"
'

test_expect_success 'terms joined by AND, and text = beside a regex' '
	cd s &&
	ref name "^(Acme|Nova)" owner "^bob\$" >want &&
	got "name~^(Acme|Nova)" owner=bob >have && test_cmp want have && test -s have &&
	ref region "^北京\$" phone "^010" >want &&
	got region=北京 "phone~^010" >have && test_cmp want have && test -s have &&
	ref region "^北京\$" >want &&
	got region=北京 >have && test_cmp want have && test -s have
'

test_expect_success 'a shard whose header orders its columns otherwise' '
	cd s &&
	f=customers/000/000500.csv &&
	{ echo "note,tags,owner,region,phone,name,status,id" &&
	  crm-customer list -o csv --fields note,tags,owner,region,phone,name,status,id "id>=C000500" "id<C001000" |
		tail -n +2; } >new &&
	mv new $f &&
	head -1 $f | grep -q "^note,tags,owner" &&
	each name "^(Acme|Nova) " "科技有限公司\$" "^.{3}\$" &&
	each phone "^010" && each region "^北京\$" && each owner "^li" &&
	ref region "^北京\$" >want && got region=北京 >have && test_cmp want have
'

test_expect_success 'a catastrophic pattern is still an error naming file and line' '
	cd s &&
	git checkout -q -- customers &&
	crm-customer set C000001 "name=$(printf "a%.0s" $(seq 1 3000))b" &&
	test_expect_code 65 crm-customer list "name~^(a+)+\$" 2>err &&
	grep_q "^crm-customer: customers/000/000000.csv:2: name: regular expression" err
'

test_done
