#!/bin/bash
# EMR bootstrap action (runs on every node before the applications start).
# Installs /usr/local/bin/customer-value-with-hash-key, the wrapper the identity step runs spark-submit
# through: it reads the HMAC key of the e-mail hashes from AWS Secrets Manager at step time and hands it
# to the driver as spark.yarn.appMasterEnv.CUSTOMER_VALUE_HASH_KEY, so the key is in no step definition,
# DAG, log or file. Arguments: the secret's name or ARN (default customer-value/hash-key) and, optionally,
# its region (default: the node's own, from the instance metadata service, IMDSv2).
# Credentials: the cluster's instance profile (AWS default provider chain), never keys.
set -euo pipefail

secret_id="${1:-customer-value/hash-key}"
region="${2:-}"
if [ -z "$region" ]; then
  token="$(curl -sf -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 60')"
  region="$(curl -sf -H "X-aws-ec2-metadata-token: ${token}" http://169.254.169.254/latest/meta-data/placement/region)"
fi

sudo tee /usr/local/bin/customer-value-with-hash-key >/dev/null <<WRAPPER
#!/bin/bash
# Usage: customer-value-with-hash-key spark-submit [spark-submit args...]
set -euo pipefail
if [ "\${1:-}" != "spark-submit" ]; then
  echo "usage: customer-value-with-hash-key spark-submit ARGS..." >&2
  exit 2
fi
shift
key="\$(aws secretsmanager get-secret-value --region '${region}' --secret-id '${secret_id}' --query SecretString --output text)"
if [ "\${#key}" -lt 16 ]; then
  echo "Secret '${secret_id}' is shorter than 16 characters; refusing to run identity with a weak key" >&2
  exit 2
fi
# Spark redacts configuration values whose key matches spark.redaction.regex (cluster.json adds hash_key)
# in the UI, the event log and the driver log.
exec spark-submit --conf "spark.yarn.appMasterEnv.CUSTOMER_VALUE_HASH_KEY=\${key}" "\$@"
WRAPPER
sudo chmod 0755 /usr/local/bin/customer-value-with-hash-key
