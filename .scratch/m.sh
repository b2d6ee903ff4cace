#!/bin/bash
# compact scores: full set, old set (first 78/26), blind set
cd /work/wt-quality3
python3 - <<'PY'
import json
d=json.load(open('eval/questions.json'))
old={'inScope':d['inScope'][:78],'outOfScope':d['outOfScope'][:26]}
json.dump(old,open('.scratch/old.json','w'))
PY
for f in eval/questions.json .scratch/old.json /tmp/blind3.json; do
  npx tsx src/cli/eval.ts $f --json --no-ablation 2>/dev/null | python3 -c "
import json,sys;r=json.load(sys.stdin)
print('%-22s top1 %.1f top3 %.1f para %.1f ans %.1f decl %.1f hard %.1f prec %.1f med %.2fms'%('$f'[-22:],r['top1']*100,r['top3']*100,(r['paraphraseTop3'] or 0)*100,r['answeredRate']*100,r['declinedRate']*100,(r['hardDeclinedRate'] or 0)*100,(r['declinePrecision'] or 0)*100,r['medianMs']))"
done
